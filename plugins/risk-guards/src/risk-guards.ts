import {
  defineRiskManager,
  rejectBadBar,
  type OrderIntent,
  type PortfolioSnapshot,
  type RiskDecision,
  type RiskMetrics,
} from '@trading-orchestrator/plugin-api';
import { CircuitBreaker } from './circuit-breaker.js';
import { guardsConfig } from './config.js';

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

function netQuantity(portfolio: PortfolioSnapshot, symbol: string): number {
  let q = 0;
  for (const p of portfolio.positions) if (p.symbol === symbol) q += p.quantity;
  return q;
}

/**
 * The protections traders expect (seed 004): a circuit breaker on drawdown and daily loss (reduce-only while
 * tripped), a cooldown after a streak of losing trades on a symbol, at most N open positions per correlation
 * group, and caps on position size, gross and net exposure and the number of open positions. Every denial
 * carries a reason code, and every state change is a risk event.
 */
/** What `snapshot()` returns and a resumed instance starts from: plain JSON. */
interface GuardsState {
  readonly breaker: ReturnType<CircuitBreaker['toState']>;
  readonly streaks: readonly (readonly [string, number])[];
  readonly cooldowns: readonly (readonly [string, number])[];
  readonly lastBarTime: number | null;
  readonly lastPortfolio: PortfolioSnapshot | null;
}

export const riskGuards = defineRiskManager({
  configSchema: guardsConfig,
  init(ctx) {
    const config = ctx.config;
    const breaker = new CircuitBreaker(config.circuitBreaker, ctx.raise);
    // By symbol; a symbol keeps its entry at 0 rather than being deleted: a Map that keeps dropping and re-adding
    // entries replaces its hash table each time, and the dead tables kept each other alive until a full collection.
    const streaks = new Map<string, number>();
    const cooldowns = new Map<string, number>();
    const groupsOf = new Map<string, (typeof config.correlationGroups)[number][]>();
    for (const g of config.correlationGroups) for (const s of g.symbols) groupsOf.set(s, [...(groupsOf.get(s) ?? []), g]);
    let lastBarTime = Number.NEGATIVE_INFINITY;
    let lastPortfolio: PortfolioSnapshot | undefined;
    // A resumed paper session hands back snapshot(): bars up to its time were counted already, and are skipped.
    const restored = ctx.restoredState as GuardsState | undefined;
    if (restored !== undefined) {
      breaker.restore(restored.breaker);
      for (const [symbol, n] of restored.streaks) streaks.set(symbol, n);
      for (const [symbol, n] of restored.cooldowns) cooldowns.set(symbol, n);
      lastBarTime = restored.lastBarTime ?? Number.NEGATIVE_INFINITY;
      lastPortfolio = restored.lastPortfolio ?? undefined;
    }
    const restoredUntil = lastBarTime;

    const observe = (portfolio: PortfolioSnapshot) => {
      lastPortfolio = portfolio;
      breaker.observe(portfolio);
    };

    const checkOrder = (intent: OrderIntent, portfolio: PortfolioSnapshot): RiskDecision => {
      observe(portfolio);
      const held = netQuantity(portfolio, intent.symbol);
      const signed = intent.side === 'buy' ? intent.quantity : -intent.quantity;
      const reduces = held !== 0 && Math.sign(signed) === -Math.sign(held);
      // Orders that only bring a position towards zero pass every guard.
      if (reduces && Math.abs(signed) <= Math.abs(held)) return { action: 'allow' };
      if (reduces) {
        const message = `only reducing trades pass: the order would flip ${intent.symbol} from ${held} to ${held + signed}`;
        if (breaker.halted) return { action: 'resize', quantity: Math.abs(held), code: 'CIRCUIT_BREAKER_REDUCE_ONLY', message: `circuit breaker tripped (${breaker.reason}); ${message}` };
      }
      if (intent.reduceOnly) return reduces ? { action: 'resize', quantity: Math.abs(held), code: 'REDUCE_ONLY', message: `a reduce-only order cannot flip ${intent.symbol}` } : { action: 'deny', code: 'REDUCE_ONLY', message: `a reduce-only order for ${intent.symbol} has nothing to reduce` };

      if (breaker.halted) {
        return { action: 'deny', code: 'CIRCUIT_BREAKER_TRIPPED', message: `circuit breaker tripped (${breaker.reason}); new entries are halted until it resets`, setting: 'circuitBreaker' };
      }
      const cooldown = cooldowns.get(intent.symbol) ?? 0;
      if (cooldown > 0) {
        return { action: 'deny', code: 'LOSS_STREAK_COOLDOWN', message: `${intent.symbol} is cooling down after ${config.lossStreak.losses} losing trades in a row: ${cooldown} more bar${cooldown === 1 ? '' : 's'}`, setting: 'lossStreak' };
      }
      const open = portfolio.positions.filter((p) => p.quantity !== 0);
      if (held === 0) {
        for (const group of groupsOf.get(intent.symbol) ?? []) {
          const inGroup = open.filter((p) => group.symbols.includes(p.symbol)).map((p) => p.symbol);
          if (inGroup.length >= group.maxOpenPositions) {
            return {
              action: 'deny',
              code: 'CORRELATION_GROUP_FULL',
              message: `correlation group ${group.name} (${group.symbols.join(', ')}) already has ${inGroup.length} of ${group.maxOpenPositions} open positions (${inGroup.sort().join(', ')})`,
              setting: 'correlationGroups',
            };
          }
        }
        if (open.length >= config.exposure.maxOpenPositions) {
          return { action: 'deny', code: 'MAX_OPEN_POSITIONS', message: `${open.length} positions are open, the limit is ${config.exposure.maxOpenPositions}`, setting: 'exposure.maxOpenPositions' };
        }
      }

      const equity = portfolio.equity;
      if (!(equity > 0)) return { action: 'deny', code: 'EQUITY_NOT_POSITIVE', message: `equity is ${equity.toFixed(2)}; no new risk can be taken` };
      const price = intent.referencePrice;
      const oldValue = held * price;
      const newValue = (held + signed) * price;
      const { maxPositionPct, maxGrossExposurePct, maxNetExposurePct } = config.exposure;
      if (Math.abs(newValue) / equity > maxPositionPct) {
        const room = maxPositionPct * equity - Math.abs(oldValue);
        const fits = Math.floor((room / price) * 1e8) / 1e8;
        const message = `${intent.symbol} would be ${pct(Math.abs(newValue) / equity)} of equity, above the ${pct(maxPositionPct)} position cap (now ${pct(Math.abs(oldValue) / equity)})`;
        return fits > 0 && !reduces ? { action: 'resize', quantity: Math.min(fits, intent.quantity), code: 'POSITION_CAP', message: `${message}; resized to ${fits}`, setting: 'exposure.maxPositionPct' } : { action: 'deny', code: 'POSITION_CAP', message, setting: 'exposure.maxPositionPct' };
      }
      const gross = portfolio.grossExposure - Math.abs(oldValue) + Math.abs(newValue);
      if (gross / equity > maxGrossExposurePct && gross > portfolio.grossExposure) {
        return { action: 'deny', code: 'GROSS_EXPOSURE_LIMIT', message: `gross exposure would be ${pct(gross / equity)} of equity, above the ${pct(maxGrossExposurePct)} limit (now ${pct(portfolio.grossExposure / equity)})`, setting: 'exposure.maxGrossExposurePct' };
      }
      const net = portfolio.netExposure - oldValue + newValue;
      if (Math.abs(net) / equity > maxNetExposurePct && Math.abs(net) > Math.abs(portfolio.netExposure)) {
        return { action: 'deny', code: 'NET_EXPOSURE_LIMIT', message: `net exposure would be ${pct(net / equity)} of equity, beyond the ${pct(maxNetExposurePct)} limit (now ${pct(portfolio.netExposure / equity)})`, setting: 'exposure.maxNetExposurePct' };
      }
      return { action: 'allow' };
    };

    const portfolioRisk = (portfolio: PortfolioSnapshot): RiskMetrics => {
      observe(portfolio);
      const equity = portfolio.equity;
      const open = portfolio.positions.filter((p) => p.quantity !== 0).length;
      const limit = (name: string, max: number, current: number) => ({ name, limit: max, current, utilisation: current / max, breached: current > max });
      const { maxGrossExposurePct, maxNetExposurePct, maxOpenPositions } = config.exposure;
      return {
        time: portfolio.time,
        limits: [
          limit('drawdown', config.circuitBreaker.maxDrawdownPct, breaker.drawdown),
          limit('daily loss', config.circuitBreaker.maxDailyLossPct, breaker.dailyLoss),
          limit('gross exposure', maxGrossExposurePct, equity > 0 ? portfolio.grossExposure / equity : Number.POSITIVE_INFINITY),
          limit('net exposure', maxNetExposurePct, equity > 0 ? Math.abs(portfolio.netExposure) / equity : Number.POSITIVE_INFINITY),
          limit('open positions', maxOpenPositions, open),
        ],
        values: { halted: breaker.halted ? 1 : 0, coolingDown: [...cooldowns.values()].filter((c) => c > 0).length },
      };
    };

    return {
      checkOrder,
      portfolioRisk,
      snapshot: (): GuardsState => ({
        breaker: breaker.toState(),
        streaks: [...streaks].filter(([, n]) => n > 0),
        cooldowns: [...cooldowns].filter(([, n]) => n > 0),
        lastBarTime: Number.isFinite(lastBarTime) ? lastBarTime : null,
        lastPortfolio: lastPortfolio ?? null,
      }),
      onBar(bar) {
        if (rejectBadBar(bar, ctx.logger) || bar.time <= restoredUntil) return;
        if (bar.time > lastBarTime) {
          lastBarTime = bar.time;
          breaker.onNewBarTime(bar.time, lastPortfolio);
        }
        const left = cooldowns.get(bar.symbol);
        if (left === undefined || left === 0) return;
        if (left <= 1) {
          cooldowns.set(bar.symbol, 0);
          ctx.raise({ level: 'info', code: 'LOSS_STREAK_COOLDOWN_ENDED', message: `${bar.symbol} may be traded again`, symbol: bar.symbol, time: bar.time });
        } else {
          cooldowns.set(bar.symbol, left - 1);
        }
      },
      onFill: (_fill, portfolio) => observe(portfolio),
      onPositionOpened: (_position, portfolio) => observe(portfolio),
      onPositionClosed(position, portfolio) {
        observe(portfolio);
        // A position closed at a loss counts towards the streak (stop-losses are the usual cause); a win resets it.
        if (!(position.realizedPnl < 0)) {
          streaks.set(position.symbol, 0);
          return;
        }
        const streak = (streaks.get(position.symbol) ?? 0) + 1;
        if (streak < config.lossStreak.losses) {
          streaks.set(position.symbol, streak);
          return;
        }
        streaks.set(position.symbol, 0);
        cooldowns.set(position.symbol, config.lossStreak.cooldownBars);
        ctx.raise({
          level: 'warning',
          code: 'LOSS_STREAK_COOLDOWN',
          message: `${position.symbol} lost ${streak} trades in a row; no new entries for ${config.lossStreak.cooldownBars} bars`,
          symbol: position.symbol,
          values: { losses: streak, cooldownBars: config.lossStreak.cooldownBars },
        });
      },
      health: () => ({ status: breaker.halted ? 'degraded' : 'healthy', ...(breaker.reason === undefined ? {} : { message: `circuit breaker tripped: ${breaker.reason}` }), metrics: { halted: breaker.halted ? 1 : 0 } }),
    };
  },
});

export default riskGuards;
