import type { PluginCatalog } from '@trading-orchestrator/registry';
import { runConfigSchema, type RunConfigInput } from '../config/run-config.js';
import { runBacktest, type BacktestOutcome, type RunHooks } from './run-backtest.js';

/** The job the runner does with no config: offline, reproducible, and it exercises every kind of plugin. */
export const DEFAULT_RUN: RunConfigInput = {
  data: { plugin: 'data-synthetic', config: {} },
  symbols: ['ALPHA', 'BETA', 'GAMMA'],
  timeframe: '1h',
  start: '2020-01-01',
  end: '2020-09-27',
  warmupBars: 200,
  capital: 100_000,
  strategies: [
    { plugin: 'ma-crossover', config: { fast: 20, slow: 50 }, sizing: { method: 'fixed-fraction', fraction: 0.5 } },
    { plugin: 'rsi-mean-reversion', sizing: { method: 'volatility-target', riskFraction: 0.01, maxPositionFraction: 0.6 } },
    { plugin: 'bollinger-reversion', sizing: { method: 'strategy-hint', defaultFraction: 0.2 } },
  ],
  risk: [
    { plugin: 'risk-guards' },
    { plugin: 'risk-var', config: { minHistory: 100, maxVarPct: 0.03, maxPositionWeight: 0.4 } },
  ],
  broker: { config: { feeBps: 10, slippage: { bps: 2 } } },
};

const PACKAGES: Readonly<Record<string, string>> = {
  'data-synthetic': '@trading-orchestrator/data-synthetic',
  'ma-crossover': '@trading-orchestrator/strategy-ma-crossover',
  'rsi-mean-reversion': '@trading-orchestrator/strategy-rsi',
  'bollinger-reversion': '@trading-orchestrator/strategy-bollinger',
  'risk-guards': '@trading-orchestrator/risk-guards',
  'risk-var': '@trading-orchestrator/risk-var',
};

/** Why the default job cannot run, with the install command that fixes it. */
export class MissingPluginsError extends Error {
  readonly code = 'DEFAULT_PLUGINS_MISSING';
  readonly fix: string;
  constructor(readonly missing: readonly string[]) {
    super(`the default backtest needs plugins that are not installed: ${missing.join(', ')}`);
    this.fix = `npm install ${missing.map((id) => PACKAGES[id]).join(' ')}`;
  }
}

export async function runDefaultBacktest(catalog: PluginCatalog, hooks: RunHooks = {}): Promise<BacktestOutcome> {
  const config = runConfigSchema.parse(DEFAULT_RUN);
  const missing = Object.keys(PACKAGES).filter((id) => catalog.loadable(id) === undefined);
  const strategiesLeft = config.strategies.filter((s) => !missing.includes(s.plugin));
  if (missing.some((id) => !config.strategies.some((s) => s.plugin === id)) || strategiesLeft.length === 0) throw new MissingPluginsError(missing);
  // Run whichever reference strategies are installed.
  return runBacktest({ ...config, strategies: strategiesLeft }, catalog, 'the default run', hooks);
}
