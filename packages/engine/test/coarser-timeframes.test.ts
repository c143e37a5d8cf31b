import { PluginManager, type LoadablePlugin } from '@trading-orchestrator/core-manager';
import { generateUniverse } from '@trading-orchestrator/market-data';
import { barOpenTime, defineRiskManager, defineStrategy, type Bar, type Fill, type PluginDefinition, type Signal, type Timeframe } from '@trading-orchestrator/plugin-api';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BacktestEngine, paperBroker, type StrategySlot } from '../src/index.js';

const HOUR = 3_600_000;
const builtIn = (id: string, definition: PluginDefinition): LoadablePlugin => ({ id, kind: definition.kind, version: '1.0.0', packageName: id, packageDir: '.', manifest: undefined, definition });
const hours = generateUniverse(['ALPHA'], { timeframe: '1h', count: 2_000, seed: 21, volatility: 0.5, initialPrice: 100, gapProbability: 1, gapVolatility: 0.003 });

interface Seen {
  readonly bar: Bar;
  /** The engine's time when the strategy was given the bar. */
  readonly at: number;
}

/** Records what it is given; `decide` makes its signals. */
function recorder(seen: Seen[], clock: () => number, decide: (bar: Bar) => Signal | undefined = () => undefined, asynchronous = false): PluginDefinition {
  return defineStrategy({
    configSchema: z.object({}),
    init: () => ({
      warmupBars: 1,
      onBar: (bar: Bar) => {
        seen.push({ bar, at: clock() });
        const signal = decide(bar);
        return asynchronous ? Promise.resolve(signal) : signal;
      },
    }),
  }) as PluginDefinition;
}

async function run(strategies: { id: string; definition: PluginDefinition; timeframes?: Timeframe[] }[], options: { timeframe?: Timeframe; bars?: readonly Bar[] } = {}) {
  const riskBars: Bar[] = [];
  const watcher = defineRiskManager({ configSchema: z.object({}), init: () => ({ onBar: (bar: Bar) => void riskBars.push(bar), checkOrder: () => ({ action: 'allow' as const }) }) });
  const manager = new PluginManager({ log: () => {} });
  await manager.load([
    ...strategies.map((s) => ({ plugin: builtIn(s.id, s.definition), config: {} })),
    { plugin: builtIn('watcher', watcher as PluginDefinition), config: {} },
    { plugin: builtIn('paper', paperBroker), config: { feeBps: 0 } },
  ]);
  await manager.start();
  const fills: Fill[] = [];
  manager.bus.subscribe('fill', (f) => fills.push(f));
  const slots: StrategySlot[] = strategies.map((s) => ({ instanceId: s.id, allocation: 1 / strategies.length, sizing: { method: 'fixed-quantity', quantity: 10, maxPositionFraction: 10 }, ...(s.timeframes === undefined ? {} : { timeframes: s.timeframes }) }));
  const engine = new BacktestEngine({ manager, brokerId: 'paper', riskIds: ['watcher'], strategies: slots, capital: 100_000, periodsPerYear: 8_760, timeframe: options.timeframe ?? '1h' });
  clockOf = () => engine.time;
  const result = await engine.run(options.bars ?? hours);
  return { result, fills, riskBars };
}
let clockOf: () => number = () => Number.NaN;
const clock = () => clockOf();

/** The four-hour bars of the hourly history, grouped by hand: every period the hours cover whole. */
function fourHourBars(bars: readonly Bar[]): Bar[] {
  const groups = new Map<number, Bar[]>();
  for (const b of bars) {
    const start = barOpenTime(b.time, '4h');
    groups.set(start, [...(groups.get(start) ?? []), b]);
  }
  return [...groups.entries()]
    .filter(([start, group]) => group[0]!.time === start && group.at(-1)!.time === start + 3 * HOUR)
    .map(([start, group]) => ({ symbol: 'ALPHA', timeframe: '4h', time: start, open: group[0]!.open, high: Math.max(...group.map((g) => g.high)), low: Math.min(...group.map((g) => g.low)), close: group.at(-1)!.close, volume: group.reduce((s, g) => s + g.volume, 0) }));
}

describe('strategies on coarser timeframes than the bars fed', () => {
  it('see each four-hour bar, built from its hours, once the hour that closes it has been processed', async () => {
    const seen: Seen[] = [];
    await run([{ id: 'slow', definition: recorder(seen, clock), timeframes: ['4h'] }]);
    expect(seen.map((s) => s.bar)).toEqual(fourHourBars(hours));
    // The engine had processed the period's last hour (opening three hours after the period) and no later one.
    for (const s of seen) expect(s.at).toBe(s.bar.time + 3 * HOUR);
  });

  it('fill a four-hour signal at the open of the first hour after the four-hour bar closed', async () => {
    const seen: Seen[] = [];
    let n = 0;
    const alternate = (bar: Bar): Signal => ({ symbol: bar.symbol, side: n++ % 2 === 0 ? 'buy' : 'exit', strength: 1 });
    const { fills: all } = await run([{ id: 'slow', definition: recorder(seen, clock, alternate), timeframes: ['4h'] }]);
    const openAt = new Map(hours.map((h) => [h.time, h.open]));
    // The last four-hour bar closes with the history: its exit has no hour left to fill in, and the run's end
    // closes the position at the last close instead.
    expect(seen.at(-1)!.bar.time + 4 * HOUR).toBe(hours.at(-1)!.time + HOUR);
    expect(all.at(-1)).toMatchObject({ exitReason: 'end-of-run', time: hours.at(-1)!.time, price: hours.at(-1)!.close });
    const fills = all.slice(0, -1);
    expect(fills.length).toBe(seen.length - 1);
    fills.forEach((f, i) => {
      expect(f.time).toBe(seen[i]!.bar.time + 4 * HOUR);
      expect(f.price).toBe(openAt.get(f.time));
    });
  });

  it('gain nothing from a four-hour bar\'s own move: no look into the future', async () => {
    const seen: Seen[] = [];
    const peek = (bar: Bar): Signal | undefined => (bar.close > bar.open ? { symbol: bar.symbol, side: 'buy', strength: 1 } : bar.close < bar.open ? { symbol: bar.symbol, side: 'exit', strength: 1 } : undefined);
    const { result } = await run([{ id: 'peek', definition: recorder(seen, clock, peek), timeframes: ['4h'] }]);
    const hypothetical = fourHourBars(hours).reduce((s, b) => s + (b.close > b.open ? 10 * (b.close - b.open) : 0), 0);
    const trades = result.strategies[0]!.trades;
    expect(trades.length).toBeGreaterThan(80);
    expect(hypothetical).toBeGreaterThan(200);
    expect(Math.abs(trades.reduce((s, t) => s + t.pnl, 0))).toBeLessThan(hypothetical * 0.2);
  });

  it('leave the broker, the ledger and the risk plugins to the fed bars, and strategies without timeframes too', async () => {
    const slow: Seen[] = [];
    const both: Seen[] = [];
    const plain: Seen[] = [];
    const { result, riskBars } = await run([
      { id: 'slow', definition: recorder(slow, clock), timeframes: ['4h'] },
      { id: 'both', definition: recorder(both, clock), timeframes: ['1h', '4h'] },
      { id: 'plain', definition: recorder(plain, clock) },
    ]);
    expect(result.bars).toBe(hours.length);
    expect(riskBars).toEqual(hours);
    expect(plain.map((s) => s.bar)).toEqual(hours);
    expect(both.filter((s) => s.bar.timeframe === '1h').map((s) => s.bar)).toEqual(hours);
    expect(both.filter((s) => s.bar.timeframe === '4h').map((s) => s.bar)).toEqual(slow.map((s) => s.bar));
    expect(result.equity.at(-1)!.time).toBe(hours.at(-1)!.time);
  });

  it('builds days and weeks from hours as well, the day before the week that ends with it', async () => {
    const seen: Seen[] = [];
    await run([{ id: 'slow', definition: recorder(seen, clock), timeframes: ['1w', '1d'] }]);
    const days = seen.filter((s) => s.bar.timeframe === '1d');
    const weeks = seen.filter((s) => s.bar.timeframe === '1w');
    expect(days.length).toBeGreaterThan(70);
    expect(weeks.length).toBeGreaterThan(9);
    for (const w of weeks) {
      expect(new Date(w.bar.time).getUTCDay()).toBe(1);
      const i = seen.indexOf(w);
      expect(seen[i - 1]!.bar).toMatchObject({ timeframe: '1d', time: w.bar.time + 6 * 24 * HOUR, close: w.bar.close });
    }
  });

  it('end as the synchronous run when the strategy answers with promises', async () => {
    const decide = (bar: Bar): Signal | undefined => (bar.close > bar.open ? { symbol: bar.symbol, side: 'buy', strength: 1 } : { symbol: bar.symbol, side: 'exit', strength: 1 });
    const sync = await run([{ id: 'a', definition: recorder([], clock, decide), timeframes: ['1h', '4h'] }]);
    const async = await run([{ id: 'a', definition: recorder([], clock, decide, true), timeframes: ['1h', '4h'] }]);
    expect(async.result).toEqual(sync.result);
    expect(async.fills).toEqual(sync.fills);
  });

  it('refuse a timeframe that cannot be built from the fed one, and fed bars of another timeframe', async () => {
    await expect(run([{ id: 'fast', definition: recorder([], clock), timeframes: ['15m'] }])).rejects.toThrow('strategy "fast" wants 15m bars, which cannot be built from the run\'s 1h bars');
    const mixed = [...hours.slice(0, 8), { ...fourHourBars(hours)[0]!, time: hours[8]!.time }];
    await expect(run([{ id: 'slow', definition: recorder([], clock), timeframes: ['4h'] }], { bars: mixed })).rejects.toThrow('the run is fed 1h bars and got a 4h bar of ALPHA');
  });
});

describe('a run that names no timeframe', () => {
  it('refuses a symbol fed in two timeframes, whose coarser bars would be seen before they closed', async () => {
    const manager = new PluginManager({ log: () => {} });
    await manager.load([
      { plugin: builtIn('s', recorder([], clock)), config: {} },
      { plugin: builtIn('paper', paperBroker), config: {} },
    ]);
    await manager.start();
    const engine = new BacktestEngine({ manager, brokerId: 'paper', riskIds: [], strategies: [{ instanceId: 's', allocation: 1, sizing: { method: 'fixed-quantity', quantity: 1, maxPositionFraction: 1 } }], capital: 1_000, periodsPerYear: 8_760 });
    const mixed = [hours[0]!, { ...fourHourBars(hours)[0]!, time: hours[1]!.time }, hours[2]!];
    await expect(engine.run(mixed)).rejects.toThrow('ALPHA came in 1h bars and then a 4h bar: feed one timeframe per symbol');
  });
});
