import { PluginManager, type LoadablePlugin } from '@trading-orchestrator/core-manager';
import { generateUniverse } from '@trading-orchestrator/market-data';
import { defineBroker, defineStrategy, type Bar, type Fill, type Order, type OrderIntent, type PluginDefinition, type Signal } from '@trading-orchestrator/plugin-api';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BacktestEngine, paperBroker } from '../src/index.js';

const builtIn = (id: string, definition: PluginDefinition): LoadablePlugin => ({ id, kind: definition.kind, version: '1.0.0', packageName: id, packageDir: '.', manifest: undefined, definition });
const bars = generateUniverse(['ALPHA', 'BETA'], { timeframe: '1h', count: 40, seed: 9, volatility: 0.3, initialPrice: 100 });

/** Buys ALPHA at market and places a limit far under BETA's close on the first bar, then does nothing. */
const holder = defineStrategy({
  configSchema: z.object({}),
  init: () => {
    const done = new Set<string>();
    return {
      warmupBars: 0,
      onBar: (bar: Bar): Signal | undefined => {
        if (done.has(bar.symbol)) return undefined;
        done.add(bar.symbol);
        return bar.symbol === 'ALPHA' ? { symbol: 'ALPHA', side: 'buy', strength: 1 } : { symbol: 'BETA', side: 'buy', strength: 1, limitPrice: bar.close * 0.5, validForBars: 1_000 };
      },
    };
  },
}) as PluginDefinition;

describe('flatten (the kill switch)', () => {
  it('cancels working orders and closes every position at the next bar open, in the strategy\'s name with the reason given', async () => {
    const manager = new PluginManager({ log: () => {} });
    await manager.load([
      { plugin: builtIn('holder', holder), config: {} },
      { plugin: builtIn('paper', paperBroker as PluginDefinition), config: { feeBps: 0, slippage: { bps: 0 } } },
    ]);
    await manager.start();
    const fills: Fill[] = [];
    const reasons: (string | undefined)[] = [];
    manager.bus.subscribe('fill', (f) => fills.push(f));
    manager.bus.subscribe('signal', (e) => reasons.push(e.signal.reason));
    const positions: [string, number][] = [];
    manager.bus.subscribe('position', (p) => positions.push([p.symbol, p.quantity]));
    const engine = new BacktestEngine({ manager, brokerId: 'paper', riskIds: [], strategies: [{ instanceId: 'holder', allocation: 1, sizing: { method: 'fixed-quantity', quantity: 5, maxPositionFraction: 10 } }], capital: 100_000, periodsPerYear: 8_760, closeAtEnd: false });
    const first = bars.slice(0, 10);
    for (const bar of first) await engine.process(bar);
    expect(engine.portfolio().positions.map((p) => [p.symbol, p.quantity])).toEqual([['ALPHA', 5]]);
    expect(engine.flatten('flattened by the control API')).toEqual([
      { strategyId: 'holder', symbol: 'ALPHA', quantity: 5, workingOrders: 0 },
      { strategyId: 'holder', symbol: 'BETA', quantity: 0, workingOrders: 1 },
    ]);
    const next = bars.slice(10, 12);
    for (const bar of next) await engine.process(bar);
    const result = engine.finish();
    expect(engine.portfolio().positions).toEqual([]);
    const exit = fills.at(-1)!;
    const alphaNext = next.find((b) => b.symbol === 'ALPHA')!;
    expect(exit).toMatchObject({ symbol: 'ALPHA', side: 'sell', quantity: 5, price: alphaNext.open });
    expect(reasons.filter((r) => r === 'flattened by the control API')).toHaveLength(2);
    // Whoever keeps the open positions from the bus (the dashboard, the journal) hears that ALPHA went flat.
    expect(positions).toEqual([['ALPHA', 5], ['ALPHA', 0]]);
    // Nothing is left working: the BETA limit was cancelled, so no later bar fills it.
    expect(fills.filter((f) => f.symbol === 'BETA')).toEqual([]);
    expect(result.portfolio.cash).toBeCloseTo(100_000 + 5 * (alphaNext.open - fills[0]!.price), 6);
  });
});

describe('dust', () => {
  it('a position left smaller than one lot counts as flat: the trade ends, and the strategy may enter again', async () => {
    const manager = new PluginManager({ log: () => {} });
    let calls = 0;
    const seesaw = defineStrategy({
      configSchema: z.object({}),
      init: () => ({ warmupBars: 0, onBar: (bar: Bar): Signal => ({ symbol: bar.symbol, side: ++calls % 2 === 1 ? 'buy' : 'exit', strength: 1 }) }),
    }) as PluginDefinition;
    // A venue that books buys net of a commission taken in kind, and sells in whole lots of 0.001.
    const broker = defineBroker({
      configSchema: z.object({}),
      init: () => {
        const due: Fill[] = [];
        return {
          submit: (intent: OrderIntent): Order => {
            const sold = intent.side === 'sell' ? Math.floor(intent.quantity / 0.001 + 1e-9) * 0.001 : intent.quantity * 0.9995;
            due.push({ orderId: intent.id, symbol: intent.symbol, side: intent.side, quantity: sold, price: intent.referencePrice, fee: 0, time: intent.time });
            return { ...intent, status: 'accepted', filledQuantity: 0, averageFillPrice: Number.NaN, updatedAt: intent.time };
          },
          cancel: () => undefined,
          onBar: () => due.splice(0),
        };
      },
    }) as PluginDefinition;
    await manager.load([
      { plugin: builtIn('seesaw', seesaw), config: {} },
      { plugin: builtIn('venue', broker), config: {} },
    ]);
    await manager.start();
    const engine = new BacktestEngine({ manager, brokerId: 'venue', riskIds: [], strategies: [{ instanceId: 'seesaw', allocation: 1, sizing: { method: 'fixed-quantity', quantity: 1, maxPositionFraction: 10 } }], capital: 100_000, periodsPerYear: 8_760, closeAtEnd: false, instruments: [{ symbol: 'ALPHA', lotSize: 0.001 }] });
    const alpha = bars.filter((b) => b.symbol === 'ALPHA').slice(0, 9);
    for (const bar of alpha) await engine.process(bar);
    const result = engine.finish();
    // Four round trips: each buy booked 0.9995, each exit sold 0.999 in whole lots, leaving 0.0005 (dust) each time.
    expect(result.strategies[0]!.tradeCount).toBe(4);
    expect(result.strategies[0]!.ignored).toEqual({});
    await manager.shutdown();
  });
});
