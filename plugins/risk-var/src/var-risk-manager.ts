import {
  defineRiskManager,
  rejectBadBar,
  type OrderIntent,
  type PortfolioSnapshot,
  type RiskDecision,
  type RiskLimitStatus,
  type RiskMetrics,
  type Timeframe,
} from '@trading-orchestrator/plugin-api';
import { varConfig, type VarConfig } from './config.js';
import { RiskModel, type PortfolioRisk, type RiskEstimate } from './risk-model.js';

type LimitState = 'ok' | 'near' | 'breached';

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
const money = (x: number) => x.toFixed(2);

function positionValues(portfolio: PortfolioSnapshot): Map<string, number> {
  const values = new Map<string, number>();
  for (const p of portfolio.positions) if (p.quantity !== 0) values.set(p.symbol, (values.get(p.symbol) ?? 0) + p.quantity * p.marketPrice);
  return values;
}

function withTrade(values: ReadonlyMap<string, number>, intent: OrderIntent, quantity: number): Map<string, number> {
  const next = new Map(values);
  const delta = (intent.side === 'buy' ? 1 : -1) * quantity * intent.referencePrice;
  next.set(intent.symbol, (next.get(intent.symbol) ?? 0) + delta);
  return next;
}

/**
 * Value-at-Risk as a live limit (seed 000 VaRRiskManager, done properly): historical-simulation and
 * variance–covariance VaR and Expected Shortfall of the whole book from joint returns, component and marginal
 * VaR, Herfindahl concentration, a pre-trade check on VaR and position weight that denies or resizes, and limit
 * breaches and recoveries raised as risk events.
 */
export const varRiskManager = defineRiskManager({
  configSchema: varConfig,
  init(ctx) {
    const config: VarConfig = ctx.config;
    const model = new RiskModel(config);
    const timeframes = new Map<string, Timeframe>();
    let limitState: LimitState = 'ok';
    const describeVar = `${pct(config.confidence).replace('.00', '')}, ${config.horizonBars} bar${config.horizonBars === 1 ? '' : 's'}, ${config.method}`;

    const varOf = (risk: PortfolioRisk) => (config.method === 'historical' ? risk.historical : risk.parametric).valueAtRisk;
    const estimateVar = (values: ReadonlyMap<string, number>): RiskEstimate => model.estimate(values);

    const shortMessage = (estimate: Extract<RiskEstimate, { ok: false }>) =>
      estimate.shortOf.map((s) => `${s.symbol}: ${s.have} ${estimate.common > 0 ? 'common ' : ''}returns, ${config.minHistory} needed`).join('; ');

    /** Largest q in [0, upper] whose VaR after the trade fits the limit, by bisection; 0 when none does. */
    const largestFitting = (values: ReadonlyMap<string, number>, intent: OrderIntent, upper: number, limitValue: number): number => {
      const fits = (q: number) => {
        const e = estimateVar(withTrade(values, intent, q));
        return e.ok && varOf(e.risk) <= limitValue;
      };
      if (!fits(0)) return 0;
      let lo = 0;
      let hi = upper;
      for (let i = 0; i < 50 && hi - lo > upper * 1e-9; i++) {
        const mid = (lo + hi) / 2;
        if (fits(mid)) lo = mid;
        else hi = mid;
      }
      return lo;
    };

    const raiseOnChange = (portfolio: PortfolioSnapshot, risk: PortfolioRisk): void => {
      if (portfolio.equity <= 0) return;
      const current = varOf(risk) / portfolio.equity;
      const utilisation = current / config.maxVarPct;
      const next: LimitState = utilisation > 1 ? 'breached' : utilisation >= config.warnAt ? 'near' : 'ok';
      if (next === limitState) return;
      const previous = limitState;
      limitState = next;
      const values = { limit: config.maxVarPct, current, utilisation, valueAtRisk: varOf(risk) };
      const figures = `portfolio VaR (${describeVar}) is ${pct(current)} of equity (${money(varOf(risk))}), limit ${pct(config.maxVarPct)}`;
      if (next === 'breached') ctx.raise({ level: 'critical', code: 'VAR_LIMIT_BREACHED', message: `${figures}: limit breached`, values });
      else if (next === 'near') ctx.raise({ level: 'warning', code: 'VAR_LIMIT_NEAR', message: `${figures}: ${pct(utilisation)} of the limit used`, values });
      else ctx.raise({ level: 'info', code: previous === 'breached' ? 'VAR_LIMIT_RECOVERED' : 'VAR_LIMIT_OK', message: `${figures}: back within the limit`, values });
    };

    const checkOrder = (intent: OrderIntent, portfolio: PortfolioSnapshot): RiskDecision => {
      // A reduce-only order can only lower exposure.
      if (intent.reduceOnly) return { action: 'allow' };
      const equity = portfolio.equity;
      if (!(equity > 0)) return { action: 'deny', code: 'EQUITY_NOT_POSITIVE', message: `equity is ${money(equity)}; no new risk can be taken` };
      const values = positionValues(portfolio);
      let quantity = intent.quantity;
      let resized = false;
      const messages: string[] = [];

      // Position weight: |value after| / equity.
      const oldValue = values.get(intent.symbol) ?? 0;
      const sign = intent.side === 'buy' ? 1 : -1;
      const newValue = oldValue + sign * quantity * intent.referencePrice;
      const cap = config.maxPositionWeight * equity;
      if (Math.abs(newValue) > cap && Math.abs(newValue) > Math.abs(oldValue)) {
        const message = `position weight of ${intent.symbol} after the trade would be ${pct(Math.abs(newValue) / equity)} of equity, above the ${pct(config.maxPositionWeight)} limit (now ${pct(Math.abs(oldValue) / equity)})`;
        // The largest q with |old + sign·q·price| ≤ cap.
        const fitting = (sign * cap - oldValue) / (sign * intent.referencePrice);
        if (config.onLimit === 'deny' || !(fitting > 0)) return { action: 'deny', code: 'POSITION_WEIGHT_EXCEEDED', message, setting: 'maxPositionWeight' };
        quantity = Math.min(quantity, fitting);
        resized = true;
        messages.push(`${message}; resized to ${quantityText(quantity)}`);
      }

      const after = estimateVar(withTrade(values, intent, quantity));
      const limitValue = config.maxVarPct * equity;
      // The book as it is matters only past the limit (an order that lowers VaR is never stopped): most orders
      // are checked with one estimate.
      const before = after.ok && varOf(after.risk) <= limitValue ? undefined : estimateVar(values);
      if (!after.ok || before?.ok === false) {
        const missing = !after.ok ? after : (before as Extract<RiskEstimate, { ok: false }>);
        const message = `not enough history for VaR: ${shortMessage(missing)}`;
        if (config.insufficientHistory === 'deny') return { action: 'deny', code: 'VAR_INSUFFICIENT_HISTORY', message: `${message}; the order is denied (insufficientHistory: deny)`, setting: 'minHistory' };
        ctx.raise({ level: 'warning', code: 'VAR_INSUFFICIENT_HISTORY', message: `${message}; the order is allowed without a VaR check (insufficientHistory: allow-with-warning)`, symbol: intent.symbol });
        return resized ? { action: 'resize', quantity, code: 'POSITION_WEIGHT_RESIZED', message: messages.join('; '), setting: 'maxPositionWeight' } : { action: 'allow' };
      }
      const varAfter = varOf(after.risk);
      const varBefore = before?.ok === true ? varOf(before.risk) : 0;
      if (before !== undefined && varAfter > varBefore) {
        const message = `portfolio VaR (${describeVar}) after the trade would be ${pct(varAfter / equity)} of equity (${money(varAfter)}), above the ${pct(config.maxVarPct)} limit (${money(limitValue)}); now ${pct(varBefore / equity)} (${money(varBefore)})`;
        if (config.onLimit === 'deny') return { action: 'deny', code: 'VAR_LIMIT_EXCEEDED', message, setting: 'maxVarPct' };
        const fitting = largestFitting(values, intent, quantity, limitValue);
        if (!(fitting > 0)) return { action: 'deny', code: 'VAR_LIMIT_EXCEEDED', message: `${message}; no smaller order fits`, setting: 'maxVarPct' };
        return { action: 'resize', quantity: fitting, code: 'VAR_LIMIT_RESIZED', message: [...messages, `${message}; resized to ${quantityText(fitting)}`].join('; '), setting: 'maxVarPct' };
      }
      return resized ? { action: 'resize', quantity, code: 'POSITION_WEIGHT_RESIZED', message: messages.join('; '), setting: 'maxPositionWeight' } : { action: 'allow' };
    };

    /** After the book changed: a limit crossed either way is raised, with none of `portfolioRisk`'s figures built. */
    const watchLimit = (portfolio: PortfolioSnapshot): void => {
      const estimate = estimateVar(positionValues(portfolio));
      if (estimate.ok) raiseOnChange(portfolio, estimate.risk);
    };

    const portfolioRisk = (portfolio: PortfolioSnapshot): RiskMetrics => {
      const estimate = estimateVar(positionValues(portfolio));
      const weights = portfolio.equity > 0 ? portfolio.positions.map((p) => Math.abs(p.quantity * p.marketPrice) / portfolio.equity) : [];
      const maxWeight = weights.length === 0 ? 0 : Math.max(...weights);
      const weightLimit: RiskLimitStatus = { name: 'position weight', limit: config.maxPositionWeight, current: maxWeight, utilisation: maxWeight / config.maxPositionWeight, breached: maxWeight > config.maxPositionWeight };
      if (!estimate.ok) {
        return { time: portfolio.time, confidence: config.confidence, horizonBars: config.horizonBars, limits: [weightLimit], values: { insufficientHistory: 1 } };
      }
      const risk = estimate.risk;
      raiseOnChange(portfolio, risk);
      const v = varOf(risk);
      const current = portfolio.equity > 0 ? v / portfolio.equity : Number.POSITIVE_INFINITY;
      const values: Record<string, number> = {
        historicalVar: risk.historical.valueAtRisk,
        historicalEs: risk.historical.expectedShortfall,
        parametricVar: risk.parametric.valueAtRisk,
        parametricEs: risk.parametric.expectedShortfall,
        herfindahl: risk.herfindahl,
        periods: risk.periods,
      };
      risk.symbols.forEach((s, i) => {
        values[`componentVar:${s}`] = risk.componentVar[i]!;
        values[`marginalVar:${s}`] = risk.marginalVar[i]!;
        risk.symbols.forEach((t, j) => {
          if (j > i) values[`correlation:${s}:${t}`] = risk.correlation[i]![j]!;
        });
      });
      return {
        time: portfolio.time,
        valueAtRisk: v,
        expectedShortfall: (config.method === 'historical' ? risk.historical : risk.parametric).expectedShortfall,
        confidence: config.confidence,
        horizonBars: config.horizonBars,
        limits: [{ name: 'portfolio VaR / equity', limit: config.maxVarPct, current, utilisation: current / config.maxVarPct, breached: current > config.maxVarPct }, weightLimit],
        values,
      };
    };

    return {
      checkOrder,
      portfolioRisk,
      onBar(bar) {
        if (rejectBadBar(bar, ctx.logger)) return;
        const wanted = config.timeframe ?? timeframes.get(bar.symbol) ?? bar.timeframe;
        if (!timeframes.has(bar.symbol)) timeframes.set(bar.symbol, wanted);
        if (bar.timeframe === wanted) model.addClose(bar.symbol, bar.time, bar.close);
      },
      onFill: (_fill, portfolio) => watchLimit(portfolio),
      onPositionOpened: (_position, portfolio) => watchLimit(portfolio),
      onPositionClosed: (_position, portfolio) => watchLimit(portfolio),
      health: () => ({ status: 'healthy', metrics: { limitBreached: limitState === 'breached' ? 1 : 0 } }),
    };
  },
});

export default varRiskManager;

/** A quantity for a message: eight significant digits, without a float's tail. */
function quantityText(quantity: number): string {
  return String(Number(quantity.toPrecision(8)));
}
