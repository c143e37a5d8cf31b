import { PluginManager, type LoadablePlugin } from '@trading-orchestrator/core-manager';
import { generateUniverse } from '@trading-orchestrator/market-data';
import { defineStrategy, type Bar, type PluginDefinition, type Signal } from '@trading-orchestrator/plugin-api';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BacktestEngine, paperBroker } from '../src/index.js';

const bars = generateUniverse(['ALPHA'], { timeframe: '1h', count: 30, seed: 3, volatility: 0.3, initialPrice: 100 });

/** Counts the bars it sees (carried across a reload by its snapshot); `buyAt` is the count it buys at, if any. */
function counter(version: string, buyAt: number | undefined, seen: string[]): PluginDefinition {
  return defineStrategy({
    configSchema: z.object({}),
    init: (ctx) => {
      let count = (ctx.restoredState as { count?: number } | undefined)?.count ?? 0;
      return {
        warmupBars: 0,
        onBar: (bar: Bar): Signal | undefined => {
          seen.push(version);
          count++;
          return count === buyAt ? { symbol: bar.symbol, side: 'buy', strength: 1, reason: `${version} at bar ${count}` } : undefined;
        },
        snapshot: () => ({ count }),
      };
    },
  }) as PluginDefinition;
}

const loadable = (version: string, definition: PluginDefinition): LoadablePlugin => ({ id: 'counter', kind: 'strategy', version, packageName: 'counter', packageDir: '.', manifest: undefined, definition });

describe('a strategy reloaded in the middle of a run', () => {
  it('is called in its new version from the next bar on, with its state handed over, and the old one is not called again', async () => {
    const seen: string[] = [];
    const manager = new PluginManager({ log: () => {} });
    await manager.load([
      { plugin: loadable('1.0.0', counter('v1', undefined, seen)), config: {} },
      { plugin: { ...loadable('1.0.0', paperBroker as PluginDefinition), id: 'paper', kind: 'broker' }, instanceId: 'paper', config: {} },
    ]);
    await manager.start();
    const reasons: (string | undefined)[] = [];
    manager.bus.subscribe('signal', (e) => reasons.push(e.signal.reason));
    const engine = new BacktestEngine({ manager, brokerId: 'paper', riskIds: [], strategies: [{ instanceId: 'counter', allocation: 1, sizing: { method: 'fixed-quantity', quantity: 1, maxPositionFraction: 10 } }], capital: 10_000, periodsPerYear: 8_760, closeAtEnd: false });
    for (const bar of bars.slice(0, 10)) await engine.process(bar);
    expect(await manager.reload('counter', loadable('1.1.0', counter('v2', 12, seen)))).toEqual({ ok: true, from: '1.0.0', to: '1.1.0' });
    for (const bar of bars.slice(10, 15)) await engine.process(bar);
    expect(seen).toEqual([...Array(10).fill('v1'), ...Array(5).fill('v2')]);
    // v2 went on counting from v1's 10: it bought at the 12th bar of the run.
    expect(reasons).toEqual(['v2 at bar 12']);
    expect(engine.portfolio().positions.map((p) => p.quantity)).toEqual([1]);
    await manager.shutdown();
  });
});
