import type { Bar, OrderIntent, Position, RiskManager } from '@trading-orchestrator/plugin-api';
import { createTestContext, portfolioOf, positionOf, type TestContext } from '@trading-orchestrator/plugin-testkit';
import { describe, expect, it } from 'vitest';
import { guardsConfig, riskGuards, type GuardsConfig } from '../src/index.js';

const DAY = 86_400_000;

async function guards(config: object = {}): Promise<{ risk: RiskManager; ctx: TestContext<GuardsConfig> }> {
  const ctx = createTestContext(guardsConfig.parse(config));
  return { risk: await riskGuards.init(ctx), ctx };
}

const order = (symbol: string, side: 'buy' | 'sell', quantity: number, price = 100, extra: Partial<OrderIntent> = {}): OrderIntent => ({
  id: `${side}-${symbol}-${quantity}`, symbol, side, quantity, type: 'market', reduceOnly: false, strategyId: 's', time: 0, referencePrice: price, ...extra,
});
const bar = (symbol: string, time: number): Bar => ({ symbol, timeframe: '1d', time, open: 100, high: 101, low: 99, close: 100, volume: 1 });
/** A book whose equity is `equity`, holding `positions`, observed at `time`. */
const book = (equity: number, positions: Position[] = [], time = 0) => {
  const value = positions.reduce((s, p) => s + p.quantity * p.marketPrice, 0);
  return portfolioOf(positions, equity - value, time);
};

describe('circuit breaker', () => {
  it('trips on a drawdown from the peak: reduce-only until the next day, then resets its peak', async () => {
    const { risk, ctx } = await guards({ circuitBreaker: { maxDrawdownPct: 0.1, maxDailyLossPct: 0.5 } });
    const long = [positionOf('SPY', 100, 100)];
    expect(await risk.checkOrder(order('SPY', 'buy', 1), book(100_000, long, 0))).toEqual({ action: 'allow' });
    expect(await risk.checkOrder(order('QQQ', 'buy', 1), book(120_000, long, DAY))).toEqual({ action: 'allow' });
    const tripped = await risk.checkOrder(order('QQQ', 'buy', 1), book(107_000, long, DAY + 1));
    expect(tripped).toEqual({ action: 'deny', code: 'CIRCUIT_BREAKER_TRIPPED', message: 'circuit breaker tripped (drawdown 10.83% from the peak 120000.00 exceeds 10.00%); new entries are halted until it resets', setting: 'circuitBreaker' });
    expect(await risk.checkOrder(order('SPY', 'sell', 40), book(107_000, long, DAY + 2))).toEqual({ action: 'allow' });
    expect(await risk.checkOrder(order('SPY', 'sell', 250), book(107_000, long, DAY + 3))).toMatchObject({ action: 'resize', quantity: 100, code: 'CIRCUIT_BREAKER_REDUCE_ONLY' });
    expect(await risk.checkOrder(order('QQQ', 'buy', 1), book(107_000, long, 2 * DAY))).toEqual({ action: 'allow' });
    expect(ctx.raised.map((e) => `${e.level} ${e.code}`)).toEqual(['emergency CIRCUIT_BREAKER_TRIPPED', 'info CIRCUIT_BREAKER_RECOVERED']);
  });

  it('trips on the day’s loss and can recover after N bars, or never (manual)', async () => {
    const { risk, ctx } = await guards({ circuitBreaker: { maxDailyLossPct: 0.03, recovery: { afterBars: 2 } } });
    await risk.checkOrder(order('SPY', 'buy', 1), book(100_000, [], 10));
    expect(await risk.checkOrder(order('SPY', 'buy', 1), book(96_000, [], 20))).toMatchObject({ code: 'CIRCUIT_BREAKER_TRIPPED' });
    expect(ctx.raised[0]!.message).toBe('circuit breaker tripped: daily loss 4.00% since the open 100000.00 exceeds 3.00%; new entries are halted (reduce-only)');
    await risk.onBar!(bar('SPY', 30));
    expect(await risk.checkOrder(order('SPY', 'buy', 1), book(96_000, [], 31))).toMatchObject({ code: 'CIRCUIT_BREAKER_TRIPPED' });
    await risk.onBar!(bar('SPY', 40));
    expect(ctx.raised.at(-1)).toMatchObject({ code: 'CIRCUIT_BREAKER_RECOVERED', message: 'circuit breaker reset: 2 bars passed; new entries are allowed again' });

    const manual = await guards({ circuitBreaker: { maxDailyLossPct: 0.03, recovery: 'manual' } });
    await manual.risk.checkOrder(order('SPY', 'buy', 1), book(100_000, [], 0));
    await manual.risk.checkOrder(order('SPY', 'buy', 1), book(90_000, [], 1));
    for (let d = 1; d < 5; d++) await manual.risk.onBar!(bar('SPY', d * DAY));
    expect(await manual.risk.checkOrder(order('SPY', 'buy', 1), book(95_000, [], 5 * DAY))).toMatchObject({ code: 'CIRCUIT_BREAKER_TRIPPED' });
  });
});

describe('loss-streak cooldown', () => {
  it('K losing trades in a row on a symbol stop new entries there for N of its bars; a win resets the count', async () => {
    const { risk, ctx } = await guards({ lossStreak: { losses: 2, cooldownBars: 3 } });
    const closed = (pnl: number): Position => ({ ...positionOf('BTC', 0, 100), realizedPnl: pnl });
    await risk.onPositionClosed!(closed(-10), book(100_000));
    await risk.onPositionClosed!(closed(+5), book(100_000));
    await risk.onPositionClosed!(closed(-10), book(100_000));
    expect(await risk.checkOrder(order('BTC', 'buy', 1), book(100_000))).toEqual({ action: 'allow' });
    await risk.onPositionClosed!(closed(-12), book(100_000));
    expect(await risk.checkOrder(order('BTC', 'buy', 1), book(100_000))).toEqual({ action: 'deny', code: 'LOSS_STREAK_COOLDOWN', message: 'BTC is cooling down after 2 losing trades in a row: 3 more bars', setting: 'lossStreak' });
    expect(await risk.checkOrder(order('ETH', 'buy', 1), book(100_000))).toEqual({ action: 'allow' });
    for (let t = 1; t <= 5; t++) await risk.onBar!(bar('BTC', t));
    expect(await risk.checkOrder(order('BTC', 'buy', 1), book(100_000))).toEqual({ action: 'allow' });
    // The end is announced once, and an ended cooldown or a reset streak leaves nothing in the snapshot.
    expect(ctx.raised.map((e) => e.code)).toEqual(['LOSS_STREAK_COOLDOWN', 'LOSS_STREAK_COOLDOWN_ENDED']);
    expect(await risk.snapshot!()).toMatchObject({ streaks: [], cooldowns: [] });
  });
});

describe('correlation groups and exposure caps', () => {
  const groups = { correlationGroups: [{ name: 'A2', symbols: ['SPY', 'QQQ', 'IWM'], maxOpenPositions: 2 }], exposure: { maxPositionPct: 0.5 } };

  it('at most N open positions per group; adding to an open one is fine', async () => {
    const { risk } = await guards(groups);
    const open = [positionOf('SPY', 10, 100), positionOf('QQQ', 10, 100)];
    expect(await risk.checkOrder(order('IWM', 'buy', 1), book(100_000, open))).toEqual({
      action: 'deny',
      code: 'CORRELATION_GROUP_FULL',
      message: 'correlation group A2 (SPY, QQQ, IWM) already has 2 of 2 open positions (QQQ, SPY)',
      setting: 'correlationGroups',
    });
    expect(await risk.checkOrder(order('SPY', 'buy', 1), book(100_000, open))).toEqual({ action: 'allow' });
    expect(await risk.checkOrder(order('BTC', 'buy', 1), book(100_000, open))).toEqual({ action: 'allow' });
  });

  it('caps one position’s share of equity (resizing to what fits), gross and net exposure, and open positions', async () => {
    const { risk } = await guards({ exposure: { maxPositionPct: 0.25, maxGrossExposurePct: 0.6, maxNetExposurePct: 0.3, maxOpenPositions: 3 } });
    expect(await risk.checkOrder(order('AAA', 'buy', 400), book(100_000))).toEqual({
      action: 'resize', quantity: 250, code: 'POSITION_CAP', message: 'AAA would be 40.00% of equity, above the 25.00% position cap (now 0.00%); resized to 250',
      setting: 'exposure.maxPositionPct',
    });
    const two = [positionOf('AAA', 250, 100), positionOf('BBB', -250, 100)];
    expect(await risk.checkOrder(order('CCC', 'buy', 200), book(100_000, two))).toEqual({
      action: 'deny', code: 'GROSS_EXPOSURE_LIMIT', message: 'gross exposure would be 70.00% of equity, above the 60.00% limit (now 50.00%)',
      setting: 'exposure.maxGrossExposurePct',
    });
    const longs = [positionOf('AAA', 200, 100), positionOf('BBB', 100, 100)];
    expect(await risk.checkOrder(order('CCC', 'buy', 50), book(100_000, longs))).toEqual({
      action: 'deny', code: 'NET_EXPOSURE_LIMIT', message: 'net exposure would be 35.00% of equity, beyond the 30.00% limit (now 30.00%)',
      setting: 'exposure.maxNetExposurePct',
    });
    const three = [positionOf('AAA', 1, 100), positionOf('BBB', 1, 100), positionOf('CCC', 1, 100)];
    expect(await risk.checkOrder(order('DDD', 'buy', 1), book(100_000, three))).toEqual({ action: 'deny', code: 'MAX_OPEN_POSITIONS', message: '3 positions are open, the limit is 3', setting: 'exposure.maxOpenPositions' });
    expect(await risk.checkOrder(order('AAA', 'sell', 1), book(100_000, three))).toEqual({ action: 'allow' });
  });

  it('reports limits with utilisation and breach state', async () => {
    const { risk } = await guards({ exposure: { maxGrossExposurePct: 0.5 } });
    const metrics = await risk.portfolioRisk!(book(100_000, [positionOf('AAA', 600, 100)]));
    expect(metrics.limits.find((l) => l.name === 'gross exposure')).toEqual({ name: 'gross exposure', limit: 0.5, current: 0.6, utilisation: 1.2, breached: true });
    expect(metrics.values).toEqual({ halted: 0, coolingDown: 0 });
  });
});

describe('snapshot and resume', () => {
  it('a guard restored from its snapshot (as JSON) keeps a tripped breaker and a running cooldown, and skips bars it already counted', async () => {
    const config = guardsConfig.parse({ circuitBreaker: { maxDrawdownPct: 0.1, maxDailyLossPct: 0.5 }, lossStreak: { losses: 1, cooldownBars: 3 } });
    const first = await riskGuards.init(createTestContext(config));
    const long = [positionOf('SPY', 100, 100)];
    await first.checkOrder(order('QQQ', 'buy', 1), book(120_000, long, DAY));
    await first.checkOrder(order('QQQ', 'buy', 1), book(107_000, long, DAY + 1));
    await first.onPositionClosed!({ ...positionOf('QQQ', 0, 100), realizedPnl: -50 }, book(107_000, long, DAY + 2));
    await first.onBar!(bar('QQQ', DAY + 3));
    const state = JSON.parse(JSON.stringify(await first.snapshot!()));
    const resumed = await riskGuards.init(createTestContext(config, { restoredState: state }));
    // The bar of DAY + 3 was counted before the snapshot: seeing it again during warm-up changes nothing.
    await resumed.onBar!(bar('QQQ', DAY + 3));
    for (const r of [first, resumed]) {
      const decision = await r.checkOrder(order('IWM', 'buy', 1), book(107_000, long, DAY + 4));
      expect(decision).toMatchObject({ action: 'deny', code: 'CIRCUIT_BREAKER_TRIPPED' });
    }
    expect(await resumed.snapshot!()).toEqual(await first.snapshot!());
  });
});
