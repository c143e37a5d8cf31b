import { join } from 'node:path';
import type { PluginCatalog } from '@trading-orchestrator/registry';
import { runConfigSchema, type RunConfigInput } from '../config/run-config.js';
import { runnerPackageDir } from '../project.js';
import { runBacktest, type BacktestOutcome, type RunHooks } from './run-backtest.js';

/** Real daily bars shipped with the runner (samples/SOURCES.md says where they come from). */
export const SAMPLES_DIR = join(runnerPackageDir(), 'samples');

/**
 * The job the runner does with no config: offline and reproducible, on real markets a trader knows (SPY and
 * BTC/USD, daily, late 2015 to October 2019: a calm uptrend, a bubble and its crash), every kind of plugin at its
 * defaults, measured against buying and holding the same two markets.
 */
export const DEFAULT_RUN: RunConfigInput = {
  data: [
    {
      plugin: 'data-file',
      config: {
        baseDir: SAMPLES_DIR,
        files: [
          { path: 'SPY_D.csv', symbol: 'SPY', timeframe: '1d' },
          { path: 'Coinbase_BTCUSD_d.csv', symbol: 'BTC/USD', timeframe: '1d' },
        ],
      },
    },
  ],
  symbols: ['SPY', 'BTC/USD'],
  timeframe: '1d',
  // The first 200 days of each symbol warm the strategies up: trading starts in the winter of 2015/16.
  start: '2015-06-01',
  end: '2019-10-17',
  warmupBars: 200,
  // Bitcoin trades every day, so the account is marked every calendar day.
  periodsPerYear: 365,
  capital: 100_000,
  strategies: [{ plugin: 'ma-crossover', config: { fast: 20, slow: 100 } }, { plugin: 'rsi-mean-reversion' }, { plugin: 'bollinger-reversion' }],
  risk: [{ plugin: 'risk-guards' }, { plugin: 'risk-var' }],
  broker: { config: { feeBps: 10, slippage: { bps: 2 } } },
};

/** The plugins the default job (and `init`'s starter) names, by id, with the package that provides each. */
export const REFERENCE_PACKAGES: Readonly<Record<string, string>> = {
  'data-file': '@trading-orchestrator/data-file',
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
    this.fix = `npm install ${missing.map((id) => REFERENCE_PACKAGES[id]).join(' ')}`;
  }
}

export async function runDefaultBacktest(catalog: PluginCatalog, hooks: RunHooks = {}): Promise<BacktestOutcome> {
  const config = runConfigSchema.parse(DEFAULT_RUN);
  const missing = Object.keys(REFERENCE_PACKAGES).filter((id) => catalog.loadable(id) === undefined);
  const strategiesLeft = config.strategies.filter((s) => !missing.includes(s.plugin));
  if (missing.some((id) => !config.strategies.some((s) => s.plugin === id)) || strategiesLeft.length === 0) throw new MissingPluginsError(missing);
  // Run whichever reference strategies are installed.
  return runBacktest({ ...config, strategies: strategiesLeft }, catalog, 'the default run', hooks);
}
