import { PluginManager, type LoadablePlugin } from '@trading-orchestrator/core-manager';
import { loadOhlcvCsv } from '@trading-orchestrator/market-data';
import { defineRiskManager, defineStrategy, type Bar, type Fill, type PluginDefinition, type Position, type Signal } from '@trading-orchestrator/plugin-api';
import { testDataFile } from '@trading-orchestrator/testdata';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BacktestEngine, paperBroker, type BacktestOptions, type StrategySlot } from '../src/index.js';

/**
 * Seed 003's order capabilities (dual orders, profit booking chains, re-entry after a stop-loss) written as plain
 * strategies on the general model: targets and deltas, brackets per entry, fills that say what closed them. None
 * needs engine code of its own. Also: a broken risk plugin never traps a position, and warm-up counts bars.
 */
const builtIn = (id: string, definition: PluginDefinition): LoadablePlugin => ({ id, kind: definition.kind, version: '1.0.0', packageName: id, packageDir: '.', manifest: undefined, definition });
const spy = loadOhlcvCsv(testDataFile('ohlcv/equities/SPY_D.csv'), { symbol: 'SPY', timeframe: '1d' }).bars;
const btc = loadOhlcvCsv(testDataFile('ohlcv/crypto/Coinbase_BTCUSD_1h.csv'), { symbol: 'BTC/USD', timeframe: '1h' }).bars.filter((b) => b.time >= Date.UTC(2019, 0, 1) && b.time < Date.UTC(2019, 6, 1));

async function run(strategy: PluginDefinition, bars: readonly Bar[], more: Partial<BacktestOptions> & { slot?: Partial<StrategySlot>; risk?: PluginDefinition } = {}) {
  const manager = new PluginManager({ log: () => {} });
  await manager.load([
    { plugin: builtIn('s', strategy), config: {} },
    { plugin: builtIn('paper', paperBroker as PluginDefinition), config: { feeBps: 5 } },
    ...(more.risk === undefined ? [] : [{ plugin: builtIn('risk', more.risk), config: {} }]),
  ]);
  await manager.start();
  const fills: Fill[] = [];
  manager.bus.subscribe('fill', (f) => fills.push(f));
  const ignored: { code: string; message: string }[] = [];
  manager.bus.subscribe('signal-ignored', (e) => ignored.push({ code: e.code, message: e.message }));
  const { slot, risk, ...options } = more;
  const engine = new BacktestEngine({
    manager,
    brokerId: 'paper',
    riskIds: risk === undefined ? [] : ['risk'],
    strategies: [{ instanceId: 's', allocation: 1, sizing: { method: 'fixed-fraction', fraction: 0.5, maxPositionFraction: 1 }, ...slot }],
    capital: 100_000,
    periodsPerYear: 8_760,
    ...options,
  });
  const result = await engine.run(bars);
  await manager.shutdown();
  return { result, fills, ignored, manager };
}

/** A strategy made of a function of each bar (and what it has been told of its fills). */
function strategyOf(make: () => { onBar: (bar: Bar) => Signal | Signal[] | undefined; onFill?: (fill: Fill, position: Position | undefined) => void; warmupBars?: number }): PluginDefinition {
  return defineStrategy({ configSchema: z.object({}), init: () => ({ warmupBars: 0, ...make() }) }) as PluginDefinition;
}

/** Closes crossing above (1) or below (-1) their SMA(n), else 0. */
function crossesOf(bars: readonly Bar[], n: number): Map<number, number> {
  const out = new Map<number, number>();
  let sum = 0;
  for (let i = 0; i < bars.length; i++) {
    sum += bars[i]!.close - (i >= n ? bars[i - n]!.close : 0);
    if (i < n) continue;
    const mean = sum / n;
    const prevMean = (sum - bars[i]!.close + bars[i - n]!.close) / n;
    const up = bars[i - 1]!.close <= prevMean && bars[i]!.close > mean;
    const down = bars[i - 1]!.close >= prevMean && bars[i]!.close < mean;
    out.set(bars[i]!.time, up ? 1 : down ? -1 : 0);
  }
  return out;
}

describe("seed 003's order capabilities, on the general model", () => {
  it('dual orders: one signal bar, two orders with their own targets; the first target books half, the rest runs on', async () => {
    const cross = crossesOf(btc, 48);
    const dual = strategyOf(() => ({
      onBar: (bar) =>
        cross.get(bar.time) === 1
          ? [
              { symbol: bar.symbol, side: 'buy', strength: 1, delta: { size: 0.5, unit: 'entries' }, stopLoss: bar.close * 0.97, takeProfit: bar.close * 1.01, reason: 'order A' },
              { symbol: bar.symbol, side: 'buy', strength: 1, delta: { size: 0.5, unit: 'entries' }, stopLoss: bar.close * 0.97, takeProfit: bar.close * 1.04, reason: 'order B' },
            ]
          : undefined,
    }));
    // Small entries, so pairs that overlap never run out of cash (which would cut the second order of a pair).
    const { result, fills } = await run(dual, btc, { slot: { pyramiding: 0, sizing: { method: 'fixed-fraction', fraction: 0.02, maxPositionFraction: 1 } } });
    expect(result.strategies[0]!.ignored).not.toHaveProperty('INSUFFICIENT_FUNDS');
    const entries = fills.filter((f) => !f.orderId.includes(':'));
    const targets = fills.filter((f) => f.exitReason === 'take-profit');
    expect(entries.length).toBeGreaterThan(20);
    // Every entry came as a pair on one bar, of equal halves.
    const byTime = new Map<number, Fill[]>();
    for (const f of entries) byTime.set(f.time, [...(byTime.get(f.time) ?? []), f]);
    for (const pair of byTime.values()) {
      expect(pair.length % 2).toBe(0);
      expect(pair[0]!.quantity).toBeCloseTo(pair[1]!.quantity, 5);
    }
    // Order A's target books half; order B's bracket keeps the rest, to its own target or the stop.
    const booked = new Map(targets.map((f) => [f.orderId, f]));
    let halves = 0;
    for (const [time, pair] of byTime) {
      const [a, b] = pair;
      const first = booked.get(`${a!.orderId}:take-profit`);
      if (first === undefined) continue;
      halves++;
      expect(first.quantity).toBeCloseTo(a!.quantity, 5);
      expect(first.time).toBeGreaterThanOrEqual(time);
      const second = fills.find((f) => f.orderId.startsWith(`${b!.orderId}:`));
      if (second !== undefined) expect(second.time).toBeGreaterThanOrEqual(first.time);
    }
    expect(halves).toBeGreaterThan(10);
    expect(result.strategies[0]!.ignored).not.toHaveProperty('PYRAMIDING_LIMIT');
  });

  it('profit booking chain: adds one entry each time the trade gains 2% more, up to three adds, each with its own stop', async () => {
    const cross = crossesOf(btc, 48);
    const chain = strategyOf(() => {
      let lastAdd = Number.NaN;
      let adds = 0;
      let held = 0;
      return {
        onFill: (fill, position) => {
          held = position?.quantity ?? 0;
          if (held === 0) adds = 0;
          else if (fill.side === 'buy') lastAdd = fill.price;
        },
        onBar: (bar) => {
          if (held === 0) return cross.get(bar.time) === 1 ? { symbol: bar.symbol, side: 'buy', strength: 1, trailingStop: { distance: 4, unit: 'percent' } } : undefined;
          if (adds < 3 && bar.close > lastAdd * 1.02) {
            adds++;
            return { symbol: bar.symbol, side: 'buy', strength: 1, delta: { size: 1, unit: 'entries' }, stopLoss: bar.close * 0.98, reason: `add ${adds}` };
          }
          return undefined;
        },
      };
    });
    const { result, fills } = await run(chain, btc, { slot: { sizing: { method: 'fixed-fraction', fraction: 0.2, maxPositionFraction: 1 } } });
    const trades = result.strategies[0]!.trades;
    expect(trades.length).toBeGreaterThan(5);
    let chained = 0;
    for (const t of trades) {
      const buys = fills.filter((f) => f.side === 'buy' && !f.orderId.includes(':') && f.time >= t.entryTime && f.time <= t.exitTime);
      expect(buys.length).toBeLessThanOrEqual(4);
      // Each add was bought higher than the one before: the chain adds to a winner.
      for (let i = 1; i < buys.length; i++) expect(buys[i]!.price).toBeGreaterThan(buys[i - 1]!.price);
      if (buys.length > 1) chained++;
    }
    expect(chained).toBeGreaterThan(1);
  });

  it('re-entry after a stop-loss, up to a chain limit, then waiting for a fresh setup', async () => {
    const cross = crossesOf(btc, 24);
    const MAX_CHAIN = 2;
    const reentries: number[] = [];
    const recover = strategyOf(() => {
      let chain = 0;
      let reenter = false;
      let held = 0;
      return {
        onFill: (fill, position) => {
          held = position?.quantity ?? 0;
          if (fill.exitReason === 'stop-loss' && chain < MAX_CHAIN) reenter = true;
        },
        onBar: (bar) => {
          if (held !== 0) return undefined;
          const stop = { symbol: bar.symbol, side: 'buy' as const, strength: 1, stopLoss: bar.close * 0.99 };
          if (reenter) {
            reenter = false;
            chain++;
            reentries.push(bar.time);
            return { ...stop, reason: `re-entry ${chain} after a stop-loss` };
          }
          if (cross.get(bar.time) === 1) {
            chain = 0;
            return stop;
          }
          return undefined;
        },
      };
    });
    const { fills } = await run(recover, btc);
    const stops = fills.filter((f) => f.exitReason === 'stop-loss');
    expect(stops.length).toBeGreaterThan(10);
    expect(reentries.length).toBeGreaterThan(5);
    // Each re-entry follows a stop-loss on the bar before; never more than MAX_CHAIN in a row.
    for (const time of reentries) expect(stops.some((f) => f.time === time)).toBe(true);
    const entries = fills.filter((f) => f.side === 'buy' && !f.orderId.includes(':')).map((f) => f.time);
    let run_ = 0;
    for (const time of entries) {
      const isReentry = reentries.some((r) => r < time && entries.indexOf(time) > 0 && r >= entries[entries.indexOf(time) - 1]!);
      run_ = isReentry ? run_ + 1 : 0;
      expect(run_).toBeLessThanOrEqual(MAX_CHAIN);
    }
  });
});

describe('a broken risk plugin never traps a position', () => {
  it('denies the entries after it starts to throw, disables itself, and the exit still closes the position', async () => {
    const bars = spy.slice(0, 200);
    let calls = 0;
    const flaky = defineRiskManager({
      configSchema: z.object({}),
      init: () => ({
        checkOrder: () => {
          if (++calls > 1) throw new Error('risk model crashed');
          return { action: 'allow' as const };
        },
      }),
    });
    // Buys on bar 10, tries to add on bars 20–29 (six denied, the plugin disabled), exits on bar 100.
    const s = strategyOf(() => ({
      onBar: (bar) => {
        const i = bars.indexOf(bar);
        if (i === 10) return { symbol: bar.symbol, side: 'buy', strength: 1 };
        if (i >= 20 && i < 30) return { symbol: bar.symbol, side: 'buy', strength: 1, delta: { size: 1, unit: 'entries' } };
        if (i === 100) return { symbol: bar.symbol, side: 'exit', strength: 1 };
        return undefined;
      },
    }));
    const { result, manager } = await run(s, bars, { risk: flaky as PluginDefinition, closeAtEnd: false });
    expect(result.denials.map((d) => d.code)).toEqual(['RISK_PLUGIN_FAILED', 'RISK_PLUGIN_FAILED', 'RISK_PLUGIN_FAILED', 'RISK_PLUGIN_FAILED', 'RISK_PLUGIN_FAILED', 'RISK_PLUGIN_UNAVAILABLE', 'RISK_PLUGIN_UNAVAILABLE', 'RISK_PLUGIN_UNAVAILABLE', 'RISK_PLUGIN_UNAVAILABLE', 'RISK_PLUGIN_UNAVAILABLE']);
    expect(result.portfolio.positions).toEqual([]);
    expect(result.strategies[0]!.trades.map((t) => t.exitReason)).toEqual(['signal']);
    expect(manager.get('risk')).toBeDefined();
  });
});

describe('warm-up counts bars, not days', () => {
  it("the run's warmupBars are bars of each symbol, over weekends and holidays; a strategy's own warmupBars count too", async () => {
    const bars = spy.slice(0, 120);
    const every = strategyOf(() => ({ warmupBars: 30, onBar: (bar) => ({ symbol: bar.symbol, side: 'buy', strength: 1, target: { size: 1, unit: 'units' } }) }));
    const own = await run(every, bars, { warmupBars: 10 });
    const ignoredWarm = own.ignored.filter((x) => x.code === 'WARMING_UP');
    // Bars 1–10 are the run's warm-up; bars 11–29 the strategy's own (it needs 30 bars before its signals count).
    expect(ignoredWarm).toHaveLength(29);
    expect(ignoredWarm[0]!.message).toBe("SPY has had 1 bar; the run's first 10 only warm up (warmupBars)");
    expect(ignoredWarm[10]!.message).toBe('s has seen 11 SPY 1d bars and needs 30 (its warmupBars) before its signals count');
    // The first order was made on the 30th bar and filled on the 31st, whatever the calendar did in between.
    expect(own.fills[0]!.time).toBe(bars[30]!.time);
  });
});
