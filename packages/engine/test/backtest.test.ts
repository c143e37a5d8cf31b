import { PluginManager, type LoadablePlugin } from '@trading-orchestrator/core-manager';
import { generateUniverse } from '@trading-orchestrator/market-data';
import { defineBroker, defineRiskManager, defineStrategy, type Bar, type Fill, type Order, type PluginDefinition } from '@trading-orchestrator/plugin-api';
import { riskGuards } from '@trading-orchestrator/risk-guards';
import { varRiskManager } from '@trading-orchestrator/risk-var';
import { bollingerReversion } from '@trading-orchestrator/strategy-bollinger';
import { maCrossover } from '@trading-orchestrator/strategy-ma-crossover';
import { rsiMeanReversion } from '@trading-orchestrator/strategy-rsi';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BacktestEngine, mergePages, paperBroker, toCents, type BacktestOptions, type EngineState, type StrategySlot } from '../src/index.js';

const builtIn = (id: string, definition: PluginDefinition): LoadablePlugin => ({ id, kind: definition.kind, version: '1.0.0', packageName: id, packageDir: '.', manifest: undefined, definition });
const bars = generateUniverse(['ALPHA', 'BETA'], { timeframe: '1h', count: 3_000, seed: 4, volatility: 0.6, initialPrice: 100 });

async function setup(strategies: { id: string; definition: PluginDefinition; config?: object }[], slots: StrategySlot[], extra: Partial<BacktestOptions> = {}) {
  const manager = new PluginManager({ log: () => {} });
  await manager.load([
    ...strategies.map((s) => ({ plugin: builtIn(s.id, s.definition), config: s.config ?? {} })),
    { plugin: builtIn('risk-guards', riskGuards), config: { exposure: { maxPositionPct: 0.5 } } },
    { plugin: builtIn('risk-var', varRiskManager), config: { minHistory: 50, maxVarPct: 0.05, maxPositionWeight: 0.5, insufficientHistory: 'allow-with-warning' } },
    { plugin: builtIn('paper', paperBroker), config: { feeBps: 10, slippage: { bps: 2 } } },
  ]);
  await manager.start();
  const orders: Order[] = [];
  const fills: Fill[] = [];
  manager.bus.subscribe('order', (o) => orders.push(o));
  manager.bus.subscribe('fill', (f) => fills.push(f));
  const engine = new BacktestEngine({ manager, brokerId: 'paper', riskIds: ['risk-guards', 'risk-var'], strategies: slots, capital: 100_000, periodsPerYear: 8_760, ...extra });
  return { engine, manager, orders, fills };
}

const reference = [
  { id: 'ma', definition: maCrossover as PluginDefinition, config: { fast: 10, slow: 40 } },
  { id: 'rsi', definition: rsiMeanReversion as PluginDefinition },
  { id: 'bands', definition: bollingerReversion as PluginDefinition },
];
const referenceSlots: StrategySlot[] = [
  { instanceId: 'ma', allocation: 0.4, sizing: { method: 'fixed-fraction', fraction: 0.5, maxPositionFraction: 1 } },
  { instanceId: 'rsi', allocation: 0.3, sizing: { method: 'volatility-target', riskFraction: 0.01, atrPeriod: 14, atrMultiple: 2, maxPositionFraction: 1 } },
  { instanceId: 'bands', allocation: 0.3, sizing: { method: 'strategy-hint', defaultFraction: 0.2, maxPositionFraction: 1 } },
];

describe('backtest engine', () => {
  it('runs three strategies with both risk plugins and the paper broker, and the money reconciles to the cent', async () => {
    const { engine, fills } = await setup(reference, referenceSlots);
    const result = await engine.run(bars);
    expect(result.bars).toBe(6_000);
    expect(fills.length).toBeGreaterThan(50);
    for (const s of result.strategies) expect(s.trades.length, s.instanceId).toBeGreaterThan(3);
    const p = result.portfolio;
    // Equity is cash plus positions; the strategies' slices add up to it (the unallocated rest is cash).
    expect(toCents(p.equity)).toBe(toCents(p.cash) + toCents(p.positions.reduce((s, x) => s + x.quantity * x.marketPrice, 0)));
    const slices = result.strategies.reduce((s, x) => s + x.finalEquity, 0);
    expect(Math.abs(slices - p.equity)).toBeLessThanOrEqual(0.03);
    // Everything made or lost is in the closed trades, the open positions, and the fees of still-open entries.
    const closed = result.strategies.flatMap((s) => s.trades).reduce((s, t) => s + toCents(t.pnl), 0);
    const fees = toCents(fills.reduce((s, f) => s + f.fee, 0));
    expect(toCents(p.feesPaid)).toBe(fees);
    const openEntryFees = fees - toCents(result.strategies.flatMap((s) => s.trades).reduce((s, t) => s + t.fees, 0));
    expect(toCents(p.equity) - toCents(100_000)).toBe(closed + toCents(p.unrealizedPnl) - openEntryFees);
    expect(result.metrics!.trades).toBe(result.strategies.reduce((s, x) => s + x.trades.length, 0));
  });

  it('fills every order on a later bar of its symbol than the one that made it', async () => {
    const { engine, orders, fills } = await setup(reference, referenceSlots);
    await engine.run(bars);
    const placed = new Map(orders.filter((o) => o.status === 'accepted').map((o) => [o.id, o.time]));
    let checked = 0;
    for (const f of fills) {
      const at = placed.get(f.orderId.split(':')[0]!);
      if (at === undefined) continue;
      if (!f.orderId.includes(':')) {
        expect(f.time).toBeGreaterThan(at);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('is deterministic: two runs give identical results', async () => {
    const a = await (await setup(reference, referenceSlots)).engine.run(bars);
    const b = await (await setup(reference, referenceSlots)).engine.run(bars);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it('no look-ahead: trading on a bar’s own move gains nothing that a fill inside that bar would have', async () => {
    // Buys when the bar closed up, exits when it closed down. Filling at the signal bar's open would pocket each
    // bar's move; filling at the next open leaves only noise.
    const peeker = defineStrategy({
      configSchema: z.object({}),
      init: () => ({
        warmupBars: 1,
        onBar: (bar: Bar) => (bar.close > bar.open ? { symbol: bar.symbol, side: 'buy' as const, strength: 1 } : bar.close < bar.open ? { symbol: bar.symbol, side: 'exit' as const, strength: 1 } : undefined),
      }),
    });
    const walk = generateUniverse(['ALPHA'], { timeframe: '1h', count: 4_000, seed: 11, volatility: 0.5, drift: 0, gapProbability: 1, gapVolatility: 0.004 });
    const { engine } = await setup([{ id: 'peek', definition: peeker as PluginDefinition }], [{ instanceId: 'peek', allocation: 1, sizing: { method: 'fixed-quantity', quantity: 10, maxPositionFraction: 1 } }], { riskIds: [] });
    const result = await engine.run(walk);
    const hypothetical = walk.reduce((s, b) => s + (b.close > b.open ? 10 * (b.close - b.open) : 0), 0);
    const trades = result.strategies[0]!.trades;
    const gross = trades.reduce((s, t) => s + t.pnl + t.fees, 0);
    expect(trades.length).toBeGreaterThan(300);
    expect(hypothetical).toBeGreaterThan(1_000);
    expect(Math.abs(gross)).toBeLessThan(hypothetical * 0.1);
  });

  it('runs the same from pages of each symbol merged on the fly as from the whole history in hand', async () => {
    const whole = await (await setup(reference, referenceSlots)).engine.run(bars);
    async function* pagesOf(symbol: string) {
      const own = bars.filter((b) => b.symbol === symbol);
      for (let i = 0; i < own.length; i += 257) yield own.slice(i, i + 257);
    }
    const paged = await (await setup(reference, referenceSlots)).engine.run(mergePages([pagesOf('ALPHA'), pagesOf('BETA')]));
    expect(paged).toEqual(whole);
  });

  it('a shadow strategy’s signals are published and counted but never become orders', async () => {
    const { engine, manager, orders } = await setup(reference.slice(0, 1), [{ ...referenceSlots[0]!, shadow: true }]);
    const shadowSignals: boolean[] = [];
    manager.bus.subscribe('signal', (s) => shadowSignals.push(s.shadow));
    const result = await engine.run(bars);
    expect(result.strategies[0]!.signals).toBeGreaterThan(5);
    expect(shadowSignals.every(Boolean)).toBe(true);
    expect(orders).toEqual([]);
    expect(result.strategies[0]!.metrics).toBeUndefined();
  });

  it('refuses allocations over 100% and plugins that are not started', async () => {
    await expect(setup(reference.slice(0, 1), [{ ...referenceSlots[0]!, allocation: 1.2 }])).rejects.toThrow('strategy allocations add up to 120.0% of capital; they must not exceed 100%');
    await expect(setup(reference.slice(0, 1), [{ ...referenceSlots[0]!, instanceId: 'nope' }])).rejects.toThrow('"nope" is not a started strategy plugin in this manager');
  });
});

describe('a run of any length in bounded memory', () => {
  it('keeps the latest trades and a thinned curve, while the metrics count every trade and every bar', async () => {
    const { engine } = await setup(reference, referenceSlots, { keepTrades: 5, keepEquityPoints: 64 });
    const bounded = await engine.run(bars);
    const full = await (await setup(reference, referenceSlots, { keepEquityPoints: 4_096 })).engine.run(bars);
    for (const [s, t] of bounded.strategies.map((s, i) => [s, full.strategies[i]!] as const)) {
      expect(s.tradeCount).toBe(t.tradeCount);
      expect(s.tradeCount).toBeGreaterThan(5);
      expect(s.trades).toEqual(t.trades.slice(-5));
      expect(s.metrics).toEqual(t.metrics);
      expect(s.equity.length).toBeLessThanOrEqual(65);
    }
    expect(bounded.metrics).toEqual(full.metrics);
    expect(bounded.metrics!.trades).toBe(bounded.strategies.reduce((n, s) => n + s.tradeCount, 0));
    expect(bounded.equity.length).toBeLessThanOrEqual(65);
    expect([bounded.equity[0], bounded.equity.at(-1)]).toEqual([full.equity[0], full.equity.at(-1)]);
    expect(full.equity.length).toBe(3_000);
  });

  it('an abort stops the run after the bar in progress, even one made inside that bar', async () => {
    const { engine, manager } = await setup(reference, referenceSlots);
    const controller = new AbortController();
    let seen = 0;
    manager.bus.subscribe('bar', () => {
      if (++seen === 1_500) controller.abort();
    });
    const result = await engine.run(bars, controller.signal);
    expect([result.bars, result.interrupted]).toEqual([1_500, true]);
  });

  it('a run with an abort signal hands the event loop a turn every few milliseconds, so Ctrl-C and timers can run', async () => {
    // Each bar takes 50 µs, so the run lasts at least 100 ms; a turn of the event loop is due every 10 ms.
    const busy = defineStrategy({
      configSchema: z.object({}),
      init: () => ({
        warmupBars: 0,
        onBar: () => {
          const until = performance.now() + 0.05;
          while (performance.now() < until);
          seen++;
          return undefined;
        },
      }),
    });
    let seen = 0;
    let seenAtFirstTurn: number | undefined;
    const { engine } = await setup([{ id: 'busy', definition: busy as PluginDefinition }], [{ instanceId: 'busy', allocation: 1, sizing: { method: 'fixed-quantity', quantity: 1, maxPositionFraction: 1 } }]);
    setImmediate(() => (seenAtFirstTurn = seen));
    const result = await engine.run(bars.slice(0, 2_000), new AbortController().signal);
    expect(result.bars).toBe(2_000);
    expect(seenAtFirstTurn).toBeGreaterThan(0);
    expect(seenAtFirstTurn).toBeLessThan(1_000);
  });

  it('skips the hooks of a plugin disabled between bars, and calls them again once it is enabled', async () => {
    const counted = (calls: Map<string, number>) =>
      defineStrategy({
        configSchema: z.object({}),
        init: (ctx) => ({ warmupBars: 0, onBar: () => void calls.set(ctx.pluginId, (calls.get(ctx.pluginId) ?? 0) + 1) }),
      });
    const calls = new Map<string, number>();
    const slot = (instanceId: string): StrategySlot => ({ instanceId, allocation: 0.5, sizing: { method: 'fixed-quantity', quantity: 1, maxPositionFraction: 1 } });
    const { engine, manager } = await setup(
      [
        { id: 'steady', definition: counted(calls) as PluginDefinition },
        { id: 'paused', definition: counted(calls) as PluginDefinition },
      ],
      [slot('steady'), slot('paused')],
    );
    const guards = manager.get('risk-guards')!;
    // The engine's own site: the guard hands out one per hook and receiver.
    const riskCalls = () => manager.guard.site(guards.guarded, 'onBar', guards.instance!).calls;
    for (const bar of bars.slice(0, 100)) await engine.process(bar);
    await manager.disable('paused');
    await manager.disable('risk-guards');
    for (const bar of bars.slice(100, 200)) await engine.process(bar);
    expect(riskCalls()).toBe(100);
    await manager.enable('paused');
    await manager.enable('risk-guards');
    for (const bar of bars.slice(200, 300)) await engine.process(bar);
    expect(Object.fromEntries(calls)).toEqual({ steady: 300, paused: 200 });
    expect(riskCalls()).toBe(200);
  });

  it('a broker, risk plugin or strategy whose onBar throws fails alone: counted, published, and the bar goes on to the next hook', async () => {
    // Each throws on bars 10 and 11 (a streak of two), then answers soundly again.
    const failsOn = (n: number) => n === 10 || n === 11;
    const seen = new Map<string, number>();
    const count = (id: string) => {
      const n = (seen.get(id) ?? 0) + 1;
      seen.set(id, n);
      return n;
    };
    const hooks = { warmupBars: 0 };
    const flakyStrategy = defineStrategy({ configSchema: z.object({}), init: (ctx) => ({ ...hooks, onBar: () => void (failsOn(count(ctx.pluginId)) && fail(ctx.pluginId)) }) });
    const flakyRisk = defineRiskManager({ configSchema: z.object({}), init: (ctx) => ({ checkOrder: () => ({ action: 'allow' as const }), onBar: () => void (failsOn(count(ctx.pluginId)) && fail(ctx.pluginId)) }) });
    const flakyBroker = defineBroker({ configSchema: z.object({}), init: (ctx) => ({ submit: () => undefined as never, cancel: () => undefined, onBar: () => void (failsOn(count(ctx.pluginId)) && fail(ctx.pluginId)) }) });
    function fail(id: string): never {
      throw new Error(`${id} broke`);
    }
    const manager = new PluginManager({ log: () => {} });
    await manager.load(
      [
        ['broker', flakyBroker],
        ['risk-a', flakyRisk],
        ['risk-b', flakyRisk],
        ['first', flakyStrategy],
        ['second', flakyStrategy],
      ].map(([id, definition]) => ({ plugin: builtIn(id as string, definition as PluginDefinition), config: {} })),
    );
    await manager.start();
    const failures: { pluginId: string; hook: string; consecutiveFailures: number; message: string }[] = [];
    manager.bus.subscribe('hook-failure', (e) => failures.push({ pluginId: e.pluginId, hook: e.hook, consecutiveFailures: e.consecutiveFailures, message: e.error.message }));
    const slot = (instanceId: string): StrategySlot => ({ instanceId, allocation: 0.5, sizing: { method: 'fixed-quantity', quantity: 1, maxPositionFraction: 1 } });
    const engine = new BacktestEngine({ manager, brokerId: 'broker', riskIds: ['risk-a', 'risk-b'], strategies: [slot('first'), slot('second')], capital: 100_000, periodsPerYear: 8_760 });
    const alpha = bars.filter((b) => b.symbol === 'ALPHA').slice(0, 30);
    const result = await engine.run(alpha);
    const ids = ['broker', 'risk-a', 'risk-b', 'first', 'second'];
    // Every hook saw every bar: the one after a throwing hook was still called.
    expect(Object.fromEntries(seen)).toEqual(Object.fromEntries(ids.map((id) => [id, 30])));
    expect(result.bars).toBe(30);
    expect(failures).toEqual(ids.flatMap((id) => [1, 2].map((streak) => ({ pluginId: id, hook: 'onBar', consecutiveFailures: streak, message: `hook "onBar" of plugin "${id}" failed: ${id} broke` }))).sort((a, b) => a.consecutiveFailures - b.consecutiveFailures));
    for (const id of ids) {
      const plugin = manager.get(id)!;
      // Two failures, then sound answers ended the streak; every call was counted, the throwing ones too.
      expect({ id, failures: plugin.guarded.failures, streak: plugin.guarded.consecutiveFailures, calls: manager.guard.site(plugin.guarded, 'onBar', plugin.instance!).calls }).toEqual({ id, failures: 2, streak: 0, calls: 30 });
    }
  });

  it('counts and publishes a fill of an order it never sent, and books nothing for it', async () => {
    const manual: Fill = { orderId: 'placed-by-hand', symbol: 'ALPHA', side: 'buy', quantity: 3, price: 100, fee: 0.1, time: bars[500]!.time, liquidity: 'taker' };
    // The paper broker, reporting one extra fill on bar 500 as a venue would for a trade placed by hand.
    const withManualFill = {
      ...paperBroker,
      init: async (ctx: never) => {
        const broker = (await (paperBroker.init as (c: never) => unknown)(ctx)) as { onBar: (bar: Bar) => readonly Fill[] | undefined };
        return Object.assign(Object.create(broker) as object, {
          onBar: (bar: Bar) => {
            const fills = broker.onBar(bar);
            return bar.time === manual.time && bar.symbol === 'ALPHA' ? [...(fills ?? []), manual] : fills;
          },
        });
      },
    } as unknown as PluginDefinition;
    const run = async (definition: PluginDefinition) => {
      const manager = new PluginManager({ log: () => {} });
      await manager.load([...reference.map((s) => ({ plugin: builtIn(s.id, s.definition), config: s.config ?? {} })), { plugin: builtIn('paper', definition), config: { feeBps: 10 } }]);
      await manager.start();
      const fills: Fill[] = [];
      manager.bus.subscribe('fill', (f) => fills.push(f));
      const result = await new BacktestEngine({ manager, brokerId: 'paper', riskIds: [], strategies: referenceSlots, capital: 100_000, periodsPerYear: 8_760 }).run(bars);
      return { result, fills };
    };
    const plain = await run(paperBroker as PluginDefinition);
    const extra = await run(withManualFill);
    expect(plain.result.unownedFills).toBe(0);
    expect(extra.result.unownedFills).toBe(1);
    expect(extra.fills.filter((f) => f.orderId === 'placed-by-hand')).toEqual([manual]);
    expect(extra.result.portfolio).toEqual(plain.result.portfolio);
  });

  it('forgets the orders of positions that are flat again', async () => {
    const { engine } = await setup(reference, referenceSlots);
    for (const bar of bars) await engine.process(bar);
    const state = engine.snapshot();
    expect(state.slots.reduce((n, s) => n + s.submitted, 0)).toBeGreaterThan(100);
    const held = (strategyId: string, symbol: string) => state.ledger.lots.find((l) => l.strategyId === strategyId && l.symbol === symbol)?.quantity ?? 0;
    for (const track of state.tracks!) {
      const working = track.working.map((w) => w.id);
      // A flat position keeps only the ids of what is still working; an open one its entries' too, for their brackets.
      if (held(track.strategyId, track.symbol) === 0) expect(track.orderIds).toEqual(working);
      else expect(track.orderIds.length).toBeLessThanOrEqual(track.entries + working.length);
    }
  });

  it('a bar whose hooks all answer synchronously is processed synchronously; an async hook is waited for', async () => {
    const { engine } = await setup(reference, referenceSlots);
    expect(engine.process(bars[0]!)).toBeUndefined();
    const slow = defineStrategy({
      configSchema: z.object({}),
      init: () => ({ warmupBars: 0, onBar: async (bar: Bar) => (await new Promise((r) => setTimeout(r, 1)), bar.close > 0 ? { symbol: bar.symbol, side: 'buy' as const, strength: 1 } : null) }),
    });
    const asyncRun = await setup([{ id: 'slow', definition: slow as PluginDefinition }], [{ instanceId: 'slow', allocation: 1, sizing: { method: 'fixed-quantity', quantity: 1, maxPositionFraction: 1 } }], { riskIds: [] });
    const alpha = bars.filter((b) => b.symbol === 'ALPHA');
    const pending = asyncRun.engine.process(alpha[0]!);
    expect(pending).toBeInstanceOf(Promise);
    await pending;
    await asyncRun.engine.process(alpha[1]!);
    const result = await asyncRun.engine.run(alpha.slice(2, 40));
    expect(result.strategies[0]!.signals).toBe(40);
    expect(result.strategies[0]!.ordersSubmitted).toBe(1);
    // Bought once (pyramiding 0: the other 39 buys are ignored, said as they are made), closed at the end.
    expect(result.strategies[0]!.ignored).toEqual({ PYRAMIDING_LIMIT: 39 });
    expect(result.strategies[0]!.trades.map((t) => [t.quantity, t.exitReason])).toEqual([[1, 'end-of-run']]);
  });
});

describe('hooks that answer with promises', () => {
  const HOOKS = ['onBar', 'onFill', 'checkOrder', 'submit', 'onPositionOpened', 'onPositionClosed'];
  /** The plugin with every `every`-th call of each hook answered by a promise (settling on a later tick). */
  function sometimesAsync(definition: PluginDefinition, every: number): PluginDefinition {
    return {
      ...definition,
      init: async (ctx: never) => {
        const instance = (await (definition.init as (c: never) => unknown)(ctx)) as Record<string, unknown>;
        const calls = new Map<string, number>();
        const wrapped: Record<string, unknown> = Object.create(instance) as Record<string, unknown>;
        for (const hook of HOOKS) {
          const fn = instance[hook];
          if (typeof fn !== 'function') continue;
          wrapped[hook] = (...args: unknown[]) => {
            const n = (calls.get(hook) ?? 0) + 1;
            calls.set(hook, n);
            const answer: unknown = fn.apply(instance, args);
            return n % every === 0 ? new Promise((resolve) => setImmediate(() => resolve(answer))) : answer;
          };
        }
        return wrapped;
      },
    } as unknown as PluginDefinition;
  }

  it('a run whose hooks answer asynchronously at every stage of a bar ends exactly as the synchronous run', async () => {
    const sync = await (await setup(reference, referenceSlots)).engine.run(bars);
    for (const every of [1, 2, 3]) {
      const manager = new PluginManager({ log: () => {} });
      await manager.load([
        ...reference.map((s) => ({ plugin: builtIn(s.id, sometimesAsync(s.definition, every)), config: s.config ?? {} })),
        { plugin: builtIn('risk-guards', sometimesAsync(riskGuards as PluginDefinition, every)), config: { exposure: { maxPositionPct: 0.5 } } },
        { plugin: builtIn('risk-var', sometimesAsync(varRiskManager as PluginDefinition, every)), config: { minHistory: 50, maxVarPct: 0.05, maxPositionWeight: 0.5, insufficientHistory: 'allow-with-warning' } },
        { plugin: builtIn('paper', sometimesAsync(paperBroker as PluginDefinition, every)), config: { feeBps: 10, slippage: { bps: 2 } } },
      ]);
      await manager.start();
      const engine = new BacktestEngine({ manager, brokerId: 'paper', riskIds: ['risk-guards', 'risk-var'], strategies: referenceSlots, capital: 100_000, periodsPerYear: 8_760 });
      const result = await engine.run(bars);
      expect(result.strategies.map((s) => s.tradeCount), `every ${every}`).toEqual(sync.strategies.map((s) => s.tradeCount));
      expect(result.strategies.map((s) => s.trades), `every ${every}`).toEqual(sync.strategies.map((s) => s.trades));
      expect(result.portfolio, `every ${every}`).toEqual(sync.portfolio);
      expect(result.metrics, `every ${every}`).toEqual(sync.metrics);
    }
  }, 60_000);
});

describe('checkpoint and resume', () => {
  async function strategiesOnly(brokerState?: unknown) {
    const manager = new PluginManager({ log: () => {} });
    await manager.load([
      ...reference.map((s) => ({ plugin: builtIn(s.id, s.definition), config: s.config ?? {} })),
      { plugin: builtIn('paper', paperBroker), config: { feeBps: 10, slippage: { bps: 2 } }, ...(brokerState === undefined ? {} : { restoredState: brokerState }) },
    ]);
    await manager.start();
    return { manager, engine: new BacktestEngine({ manager, brokerId: 'paper', riskIds: [], strategies: referenceSlots, capital: 100_000, periodsPerYear: 8_760, closeAtEnd: false }) };
  }

  it('a run stopped at a checkpoint and resumed in a new engine (strategies warmed on the same bars) ends where an unbroken run ends, to the cent', async () => {
    const all = [...bars];
    const unbroken = await (await strategiesOnly()).engine.run(all);
    let carried = 0;
    for (const cut of [1_501, 3_000, 4_777]) {
      const first = await strategiesOnly();
      for (const bar of all.slice(0, cut)) await first.engine.process(bar);
      // What a paper session writes to its journal: plain JSON.
      const engineState = JSON.parse(JSON.stringify(first.engine.snapshot())) as EngineState;
      const brokerState = JSON.parse(JSON.stringify(await first.manager.get('paper')!.instance!.snapshot!()));
      const second = await strategiesOnly(brokerState);
      for (const bar of all.slice(0, cut)) await second.engine.warm(bar);
      second.engine.restore(engineState);
      // The orders in flight and the open trades come back as they were checkpointed.
      expect(second.engine.snapshot().tracks).toEqual(engineState.tracks);
      carried += engineState.tracks!.reduce((n, t) => n + t.orderIds.length + t.pending.length, 0);
      for (const bar of all.slice(cut)) await second.engine.process(bar);
      const resumed = second.engine.finish();
      const [a, b] = [unbroken.portfolio, resumed.portfolio];
      expect([toCents(b.cash), toCents(b.equity), toCents(b.feesPaid), toCents(b.realizedPnl)], `cut at ${cut}`).toEqual([toCents(a.cash), toCents(a.equity), toCents(a.feesPaid), toCents(a.realizedPnl)]);
      expect(resumed.strategies.map((s) => [s.instanceId, s.tradeCount, s.trades.length, s.signals])).toEqual(unbroken.strategies.map((s) => [s.instanceId, s.tradeCount, s.trades.length, s.signals]));
      // The metrics and curves carry on through the checkpoint as if the run had never stopped.
      expect(resumed.metrics).toEqual(unbroken.metrics);
      expect(resumed.equity).toEqual(unbroken.equity);
      expect(resumed.strategies.map((s) => s.metrics)).toEqual(unbroken.strategies.map((s) => s.metrics));
    }
    expect(carried, 'some checkpoint was taken with orders in flight').toBeGreaterThan(0);
  });
});
