import { PluginManager, type LoadablePlugin } from '@trading-orchestrator/core-manager';
import { generateUniverse } from '@trading-orchestrator/market-data';
import { defineBroker, defineStrategy, type Bar, type Order, type OrderIntent, type PluginDefinition, type Signal } from '@trading-orchestrator/plugin-api';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BacktestEngine } from '../src/index.js';

const builtIn = (id: string, definition: PluginDefinition): LoadablePlugin => ({ id, kind: definition.kind, version: '1.0.0', packageName: id, packageDir: '.', manifest: undefined, definition });
const bars = generateUniverse(['ALPHA'], { timeframe: '1h', count: 12, seed: 4, volatility: 0.2, initialPrice: 100 });

/** Buys on every third bar: one order per signal, ids from the engine's sequence. */
const everyThird = defineStrategy({
  configSchema: z.object({}),
  init: () => {
    let n = 0;
    return { warmupBars: 0, onBar: (bar: Bar): Signal | undefined => (++n % 3 === 1 ? { symbol: bar.symbol, side: 'buy', strength: 1 } : undefined) };
  },
}) as PluginDefinition;

/** A venue broker: accepts every order, fills nothing by itself (fills come as reports). */
const venue = (sent: OrderIntent[]) =>
  defineBroker({
    configSchema: z.object({}),
    init: () => ({ submit: (intent: OrderIntent): Order => (sent.push(intent), { ...intent, status: 'accepted', filledQuantity: 0, averageFillPrice: Number.NaN, updatedAt: intent.time }), cancel: () => undefined }),
  }) as PluginDefinition;

async function engineWith(sent: OrderIntent[]) {
  const manager = new PluginManager({ log: () => {} });
  await manager.load([
    { plugin: builtIn('every-third', everyThird), config: {} },
    { plugin: builtIn('venue', venue(sent)), config: {} },
  ]);
  await manager.start();
  return new BacktestEngine({ manager, brokerId: 'venue', riskIds: [], strategies: [{ instanceId: 'every-third', allocation: 1, sizing: { method: 'fixed-quantity', quantity: 2, maxPositionFraction: 10 } }], capital: 100_000, periodsPerYear: 8_760, closeAtEnd: false });
}

describe('replaying orders (a resumed live session)', () => {
  it('sends nothing while replaying: each order is answered by the lookup, and a restored engine makes the same ids again', async () => {
    const sent: OrderIntent[] = [];
    const first = await engineWith(sent);
    await first.process(bars[0]!);
    const checkpoint = first.snapshot();
    await first.process(bars[1]!);
    await first.process(bars[2]!);
    // The first process sent the order of bar 1 and died.
    expect(sent.map((o) => o.id)).toEqual(['every-third-1']);

    const resent: OrderIntent[] = [];
    const second = await engineWith(resent);
    await second.warm(bars[0]!);
    second.restore(checkpoint);
    const asked: string[] = [];
    second.replayOrders(async (intent) => {
      asked.push(intent.id);
      const known = sent.find((o) => o.id === intent.id);
      return known === undefined
        ? { ...intent, status: 'rejected', filledQuantity: 0, averageFillPrice: Number.NaN, reason: 'not sent late', updatedAt: intent.time }
        : { ...known, status: 'partially_filled', filledQuantity: 1, averageFillPrice: 101, updatedAt: intent.time };
    });
    await second.process(bars[1]!);
    await second.process(bars[2]!);
    expect(asked).toEqual(['every-third-1']);
    expect(resent).toEqual([]);
    // The order the venue has is the session's own again, working for what is left of it.
    expect(second.workingOrders()).toEqual([{ id: 'every-third-1', symbol: 'ALPHA', strategyId: 'every-third', side: 'buy', remaining: 1, entry: true }]);

    second.replayOrders(undefined);
    second.orderReported({ ...sent[0]!, status: 'cancelled', filledQuantity: 1, averageFillPrice: 101, updatedAt: bars[2]!.time });
    for (const bar of bars.slice(3, 5)) await second.process(bar);
    expect(resent.map((o) => o.id)).toEqual(['every-third-2']);
  });
});
