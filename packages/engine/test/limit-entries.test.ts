import { PluginManager, type LoadablePlugin } from '@trading-orchestrator/core-manager';
import { generateUniverse } from '@trading-orchestrator/market-data';
import { defineBroker, defineStrategy, type Bar, type Broker, type Order, type PluginDefinition, type Signal } from '@trading-orchestrator/plugin-api';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BacktestEngine, paperBroker, paperBrokerConfig, toCents, type EngineState } from '../src/index.js';

const builtIn = (id: string, definition: PluginDefinition): LoadablePlugin => ({ id, kind: definition.kind, version: '1.0.0', packageName: id, packageDir: '.', manifest: undefined, definition });
const hours = generateUniverse(['ALPHA'], { timeframe: '1h', count: 1_500, seed: 5, volatility: 0.6, initialPrice: 100 });
const index = new Map(hours.map((b, i) => [b.time, i]));

/**
 * Buys with a limit `below` under the close on every bar, and exits on every `exitEvery`th bar. It keeps no state:
 * the engine acts on a buy only while the strategy holds nothing and has no order waiting, and on an exit only
 * while it holds something, so a run resumed from a checkpoint signals as the unbroken one did.
 */
function limitBuyer(below: number, validForBars: number | undefined, exitEvery = Number.POSITIVE_INFINITY): PluginDefinition {
  return defineStrategy({
    configSchema: z.object({}),
    init: () => ({
      warmupBars: 1,
      onBar: (bar: Bar): Signal => {
        if ((index.get(bar.time)! + 1) % exitEvery === 0) return { symbol: bar.symbol, side: 'exit', strength: 1 };
        return { symbol: bar.symbol, side: 'buy', strength: 1, limitPrice: bar.close * (1 - below), ...(validForBars === undefined ? {} : { validForBars }) };
      },
    }),
  }) as PluginDefinition;
}

async function setup(strategy: PluginDefinition, broker: PluginDefinition = paperBroker as PluginDefinition, brokerState?: unknown) {
  const manager = new PluginManager({ log: () => {} });
  await manager.load([
    { plugin: builtIn('buyer', strategy), config: {} },
    { plugin: builtIn('paper', broker), config: broker === (paperBroker as PluginDefinition) ? { feeBps: 10 } : {}, ...(brokerState === undefined ? {} : { restoredState: brokerState }) },
  ]);
  await manager.start();
  const orders: Order[] = [];
  manager.bus.subscribe('order', (o) => orders.push(o));
  const engine = new BacktestEngine({ manager, brokerId: 'paper', riskIds: [], strategies: [{ instanceId: 'buyer', allocation: 1, sizing: { method: 'fixed-quantity', quantity: 10, maxPositionFraction: 10 } }], capital: 100_000, periodsPerYear: 8_760, closeAtEnd: false });
  return { engine, manager, orders };
}

describe('limit entries', () => {
  it('fill on a bar that trades through the limit, at the limit or the better open, within the bars the signal allowed', async () => {
    const fills: { orderId: string; price: number; time: number }[] = [];
    const { engine, manager, orders } = await setup(limitBuyer(0.004, 3, 6));
    manager.bus.subscribe('fill', (f) => fills.push(f));
    await engine.run(hours);
    const placed = new Map(orders.filter((o) => o.status === 'accepted').map((o) => [o.id, o]));
    const entries = fills.filter((f) => placed.get(f.orderId)?.type === 'limit');
    expect(entries.length).toBeGreaterThan(40);
    for (const f of entries) {
      const order = placed.get(f.orderId)!;
      const bar = hours[index.get(f.time)!]!;
      const after = index.get(f.time)! - index.get(order.time)!;
      expect(bar.low).toBeLessThanOrEqual(order.limitPrice!);
      expect(f.price).toBe(Math.min(bar.open, order.limitPrice!));
      expect(after).toBeGreaterThanOrEqual(1);
      expect(after).toBeLessThanOrEqual(3);
    }
  });

  it('are cancelled once their bars ran out, with the reason, and the strategy signals again', async () => {
    // A limit 30% under the close never fills on this walk: every entry expires after its two bars.
    const { engine, orders } = await setup(limitBuyer(0.3, 2));
    const result = await engine.run(hours.slice(0, 40));
    const accepted = orders.filter((o) => o.status === 'accepted');
    const cancelled = orders.filter((o) => o.status === 'cancelled');
    expect(result.portfolio.positions).toEqual([]);
    // Signalled on bar 0, sent at bar 1's start, may fill on bars 1 and 2, cancelled before bar 3's fills; the next
    // one is signalled on bar 3. The one signalled on the last bar never reaches a broker: the run ended first.
    expect(accepted.map((o) => index.get(o.time))).toEqual([0, 3, 6, 9, 12, 15, 18, 21, 24, 27, 30, 33, 36]);
    expect(cancelled.map((o) => o.id)).toEqual(accepted.map((o) => o.id));
    expect(cancelled[0]!.reason).toBe('limit order expired: not filled in the bars the signal allowed (validForBars)');
    expect(result.strategies[0]!.ordersSubmitted).toBe(13);
    expect(result.strategies[0]!.ignored).toMatchObject({ RUN_ENDED: 1 });
  });

  it('wait one bar when the signal says nothing, and as long as it takes with a broker that cannot cancel', async () => {
    const once = await setup(limitBuyer(0.3, undefined));
    await once.engine.run(hours.slice(0, 10));
    expect(once.orders.filter((o) => o.status === 'accepted').map((o) => index.get(o.time))).toEqual([0, 2, 4, 6, 8]);
    // The paper broker with cancel taken away: the first limit entry is never given up, so no other is sent.
    const stubborn = defineBroker({
      configSchema: z.object({}),
      init: async (ctx) => {
        const inner = (await paperBroker.init({ ...ctx, config: paperBrokerConfig.parse({}) } as never)) as Broker;
        // A broker written without `cancel` (the contract asks for it; a plugin in plain JavaScript may not have it).
        return { submit: (i) => inner.submit(i), onBar: (b) => inner.onBar!(b), cancel: undefined as unknown as Broker['cancel'] };
      },
    });
    const kept = await setup(limitBuyer(0.3, 2), stubborn as PluginDefinition);
    await kept.engine.run(hours.slice(0, 20));
    expect(kept.orders.filter((o) => o.status === 'accepted')).toHaveLength(1);
    expect(kept.orders.filter((o) => o.status === 'cancelled')).toEqual([]);
  });

  it('a checkpoint taken while one waits resumes with the bars it had left, and the run ends as an unbroken one', async () => {
    const unbroken = await (await setup(limitBuyer(0.004, 4, 7))).engine.run(hours);
    let waiting = 0;
    for (const cut of [301, 702, 1_103]) {
      const first = await setup(limitBuyer(0.004, 4, 7));
      for (const bar of hours.slice(0, cut)) await first.engine.process(bar);
      const engineState = JSON.parse(JSON.stringify(first.engine.snapshot())) as EngineState;
      const limits = (state: EngineState) => state.tracks!.flatMap((t) => t.working.filter((w) => w.limit));
      waiting += limits(engineState).length;
      const brokerState = JSON.parse(JSON.stringify(await first.manager.get('paper')!.instance!.snapshot!()));
      const second = await setup(limitBuyer(0.004, 4, 7), paperBroker as PluginDefinition, brokerState);
      // The strategy's own memory of what it holds comes from warming up on the same bars.
      for (const bar of hours.slice(0, cut)) await second.engine.warm(bar);
      second.engine.restore(engineState);
      expect(limits(second.engine.snapshot())).toEqual(limits(engineState));
      for (const bar of hours.slice(cut)) await second.engine.process(bar);
      const resumed = second.engine.finish();
      expect([toCents(resumed.portfolio.cash), toCents(resumed.portfolio.equity)], `cut at ${cut}`).toEqual([toCents(unbroken.portfolio.cash), toCents(unbroken.portfolio.equity)]);
      expect(resumed.strategies[0]!.ordersSubmitted).toBe(unbroken.strategies[0]!.ordersSubmitted);
    }
    expect(waiting, 'some checkpoint was taken with a limit entry waiting').toBeGreaterThan(0);
  });
});
