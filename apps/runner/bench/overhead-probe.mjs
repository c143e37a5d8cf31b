// The engine's own cost per bar: three strategies, two risk plugins and a broker whose hooks do nothing, so what
// is measured is the engine (guarded calls, router, bus, ledger marks, equity curves and metrics). Prints a figure;
// asserts nothing.   node bench/overhead-probe.mjs   (BARS=1000000 a round by default)
import { PluginManager } from '@trading-orchestrator/core-manager';
import { BacktestEngine } from '@trading-orchestrator/engine';
import { defineStrategy, defineRiskManager, defineBroker } from '@trading-orchestrator/plugin-api';
import { z } from 'zod';
const N = Number(process.env.BARS ?? 1_000_000);
const builtIn = (id, definition) => ({ id, kind: definition.kind, version: '1.0.0', packageName: id, packageDir: '.', manifest: undefined, definition });
const strat = defineStrategy({ configSchema: z.object({}), init: () => ({ warmupBars: 0, onBar: () => undefined }) });
const risk = defineRiskManager({ configSchema: z.object({}), init: () => ({ onBar: () => undefined, checkOrder: () => ({ action: 'allow' }), portfolioRisk: () => ({ time: 0, confidence: 0.99, horizonBars: 1, limits: [], values: {} }) }) });
const broker = defineBroker({ configSchema: z.object({}), init: () => ({ onBar: () => undefined, submit: (i) => ({ ...i, status: 'accepted', filledQuantity: 0, averageFillPrice: NaN, updatedAt: i.time }), cancel: () => undefined, openOrders: () => [] }) });
const manager = new PluginManager({ log: () => {} });
await manager.load([{ plugin: builtIn('a', strat), config: {} }, { plugin: builtIn('b', strat), config: {} }, { plugin: builtIn('c', strat), config: {} }, { plugin: builtIn('r1', risk), config: {} }, { plugin: builtIn('r2', risk), config: {} }, { plugin: builtIn('p', broker), config: {} }]);
await manager.start();
const engine = new BacktestEngine({ manager, brokerId: 'p', riskIds: ['r1', 'r2'], strategies: ['a', 'b', 'c'].map((id) => ({ instanceId: id, allocation: 0.3, sizing: { method: 'fixed-fraction', fraction: 0.5, maxPositionFraction: 1 } })), capital: 1e6, periodsPerYear: 525600 });
// Rounds of N bars through one engine, time moving on: the best round is the figure (the machine is shared).
const ROUNDS = 5;
let next = 0;
function* bars(count) {
  for (let i = 0; i < count; i++) yield { symbol: 'X', timeframe: '1m', time: next++ * 60_000, open: 100, high: 101, low: 99, close: 100, volume: 1 };
}
let best = Number.POSITIVE_INFINITY;
let generation = Number.POSITIVE_INFINITY;
for (let r = 0; r < ROUNDS; r++) {
  let t0 = performance.now();
  for (const bar of bars(N)) if (bar.time < 0) throw new Error('unreachable');
  generation = Math.min(generation, performance.now() - t0);
  next -= N;
  t0 = performance.now();
  for (const bar of bars(N)) engine.process(bar);
  best = Math.min(best, performance.now() - t0);
}
console.log(`engine overhead per bar with no-op plugins: ${(((best - generation) * 1e6) / N).toFixed(0)} ns (best of ${ROUNDS} rounds of ${N.toLocaleString('en-US')} bars; making a bar, ${((generation * 1e6) / N).toFixed(0)} ns, excluded)`);
