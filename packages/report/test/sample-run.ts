import { PluginManager, type LoadablePlugin } from '@trading-orchestrator/core-manager';
import { BacktestEngine, paperBroker, type BacktestResult } from '@trading-orchestrator/engine';
import { generateUniverse } from '@trading-orchestrator/market-data';
import type { PluginDefinition } from '@trading-orchestrator/plugin-api';
import { bollingerReversion } from '@trading-orchestrator/strategy-bollinger';
import { maCrossover } from '@trading-orchestrator/strategy-ma-crossover';

const builtIn = (id: string, definition: PluginDefinition): LoadablePlugin => ({ id, kind: definition.kind, version: '1.0.0', packageName: id, packageDir: '.', manifest: undefined, definition });

/** A real backtest to render: two strategies on two synthetic symbols. */
export async function sampleRun(): Promise<BacktestResult> {
  const manager = new PluginManager({ log: () => {} });
  await manager.load([
    { plugin: builtIn('ma<script>', maCrossover as PluginDefinition), config: { fast: 10, slow: 30 } },
    { plugin: builtIn('bands', bollingerReversion as PluginDefinition), config: {} },
    { plugin: builtIn('paper', paperBroker as PluginDefinition), config: {} },
  ]);
  await manager.start();
  const engine = new BacktestEngine({
    manager,
    brokerId: 'paper',
    riskIds: [],
    strategies: [
      { instanceId: 'ma<script>', allocation: 0.5, sizing: { method: 'fixed-fraction', fraction: 0.5, maxPositionFraction: 1 } },
      { instanceId: 'bands', allocation: 0.5, sizing: { method: 'strategy-hint', defaultFraction: 0.2, maxPositionFraction: 1 } },
    ],
    capital: 100_000,
    symbols: ['ALPHA', 'BETA'],
    periodsPerYear: 8_760,
  });
  const result = await engine.run(generateUniverse(['ALPHA', 'BETA'], { timeframe: '1h', count: 3_000, seed: 8, volatility: 0.6 }));
  await manager.shutdown();
  return result;
}
