import { PluginManager, type LoadablePlugin, type PluginSpec } from '@trading-orchestrator/core-manager';
import { BacktestEngine, mergeBars, paperBroker, type BacktestResult, type StrategySlot } from '@trading-orchestrator/engine';
import type { Bar, DataProvider } from '@trading-orchestrator/plugin-api';
import type { CatalogEntry, PluginCatalog } from '@trading-orchestrator/registry';

/** The offline demo: the three reference strategies with both risk plugins on the synthetic source. */
const STRATEGIES: { id: string; packageName: string; config: object; slot: Omit<StrategySlot, 'instanceId'> }[] = [
  { id: 'ma-crossover', packageName: '@trading-orchestrator/strategy-ma-crossover', config: { fast: 20, slow: 50 }, slot: { allocation: 1 / 3, sizing: { method: 'fixed-fraction', fraction: 0.5, maxPositionFraction: 1 } } },
  { id: 'rsi-mean-reversion', packageName: '@trading-orchestrator/strategy-rsi', config: {}, slot: { allocation: 1 / 3, sizing: { method: 'volatility-target', riskFraction: 0.01, atrPeriod: 14, atrMultiple: 2, maxPositionFraction: 0.6 } } },
  { id: 'bollinger-reversion', packageName: '@trading-orchestrator/strategy-bollinger', config: {}, slot: { allocation: 1 / 3, sizing: { method: 'strategy-hint', defaultFraction: 0.2, maxPositionFraction: 1 } } },
];
const RISK: { id: string; packageName: string; config: object }[] = [
  { id: 'risk-guards', packageName: '@trading-orchestrator/risk-guards', config: {} },
  { id: 'risk-var', packageName: '@trading-orchestrator/risk-var', config: { minHistory: 100, maxVarPct: 0.03, maxPositionWeight: 0.4 } },
];
const DATA = { id: 'data-synthetic', packageName: '@trading-orchestrator/data-synthetic' };
const HOUR = 3_600_000;
const START = Date.UTC(2020, 0, 1);
const END = START + 270 * 24 * HOUR;
const CAPITAL = 100_000;

const BUILT_IN_BROKER: LoadablePlugin = { id: 'paper', kind: 'broker', version: 'built-in', packageName: '@trading-orchestrator/engine', packageDir: '.', manifest: undefined, definition: paperBroker };

export interface DefaultBacktestOutcome {
  readonly result: BacktestResult;
  readonly symbols: readonly string[];
  readonly skipped: readonly string[];
  readonly elapsedMs: number;
}

/** Why the default job cannot run, with the install command that fixes it. */
export class MissingPluginsError extends Error {
  constructor(readonly missing: readonly { id: string; packageName: string }[]) {
    super(
      `the default backtest needs plugins that are not installed: ${missing.map((m) => m.id).join(', ')}\n` +
        `  fix: npm install ${missing.map((m) => m.packageName).join(' ')}`,
    );
  }
}

function require(catalog: PluginCatalog, id: string): CatalogEntry | undefined {
  return catalog.loadable(id);
}

export async function runDefaultBacktest(catalog: PluginCatalog): Promise<DefaultBacktestOutcome> {
  const strategies = STRATEGIES.filter((s) => require(catalog, s.id) !== undefined);
  const missing = [DATA, ...RISK].filter((p) => require(catalog, p.id) === undefined);
  if (strategies.length === 0) missing.push(...STRATEGIES);
  if (missing.length > 0) throw new MissingPluginsError(missing);
  const skipped = STRATEGIES.filter((s) => !strategies.includes(s)).map((s) => s.id);

  const specs: PluginSpec[] = [
    { plugin: require(catalog, DATA.id)!, config: {} },
    ...strategies.map((s) => ({ plugin: require(catalog, s.id)!, config: s.config, configPath: `strategies.${s.id}.config` })),
    ...RISK.map((r) => ({ plugin: require(catalog, r.id)!, config: r.config, configPath: `risk.${r.id}.config` })),
    { plugin: BUILT_IN_BROKER, instanceId: 'paper', config: { feeBps: 10, slippage: { bps: 2 } } },
  ];
  const manager = new PluginManager();
  const started = performance.now();
  try {
    await manager.load(specs);
    await manager.start();
    const source = manager.get(DATA.id)!.instance as DataProvider;
    const symbols = [...((await source.symbols?.()) ?? [])];
    const series: Bar[][] = [];
    for (const symbol of symbols) {
      const bars: Bar[] = [];
      for await (const page of source.historicalBars({ symbol, timeframe: '1h', start: START, end: END })) bars.push(...page);
      series.push(bars);
    }
    const engine = new BacktestEngine({
      manager,
      brokerId: 'paper',
      riskIds: RISK.map((r) => r.id),
      strategies: strategies.map((s) => ({ instanceId: s.id, ...s.slot })),
      capital: CAPITAL,
      periodsPerYear: 8_760,
      tradeFrom: START + 200 * HOUR,
    });
    const result = await engine.run(mergeBars(series));
    return { result, symbols, skipped, elapsedMs: performance.now() - started };
  } finally {
    await manager.shutdown();
  }
}
