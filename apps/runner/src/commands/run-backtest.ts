import { dirname, isAbsolute, resolve } from 'node:path';
import { PluginManager, type BrokerReports, type EventBus, type LoadablePlugin, type PluginSpec, type ReloadResult } from '@trading-orchestrator/core-manager';
import { BacktestEngine, checkedSeries, type AlertDelivery, type FlattenedPosition, IndicatorBoard, mergePages, sizingRule, type RefusedBar, type BacktestOptions, type BacktestResult, type SizingRule } from '@trading-orchestrator/engine';
import { ConfigInvalidError, timeframeToMs, type Bar, type ExternalAlert, type PortfolioSnapshot, type DataProvider, type HistoricalBarsRequest, type InstrumentSpec, type PluginClock } from '@trading-orchestrator/plugin-api';
import { HistoryCache, type CacheUse } from '../history/history-cache.js';
import { instrumentsOf } from './data-instruments.js';
import { endOnAbort, untilAborted } from './interruption.js';
import type { PluginCatalog } from '@trading-orchestrator/registry';
import { capabilityProblems } from '../config/capabilities.js';
import { dataSources, sourceOf, type DataSourceEntry } from '../config/data-sources.js';
import { pluginConfigProblems, pluginReferences, resolvePlugins } from '../config/plugin-references.js';
import type { RunConfig } from '../config/run-config.js';

const YEAR_MS = 365.25 * 86_400_000;

export interface BacktestOutcome {
  readonly result: BacktestResult;
  readonly config: RunConfig;
  readonly elapsedMs: number;
}

/** A strategy's sizing when its entry names none: its equity in equal parts across its symbols. */
export function defaultSizing(symbols: number): SizingRule {
  return sizingRule.parse({ method: 'fixed-fraction', fraction: 1 / Math.max(1, symbols) });
}

/** The broker's instance id in a run of `config`: `broker:` and its plugin id. */
export function brokerInstanceId(config: RunConfig): string {
  return `broker:${config.broker.plugin}`;
}

/** A plugin entry's config (validated against the plugin's schema at `<path>.config`) and time limits. */
function settings(entry: { readonly config: Record<string, unknown>; readonly timeLimits?: PluginSpec['hookLimits'] }, path: string, configDir: string | undefined): Pick<PluginSpec, 'config' | 'configPath' | 'configDir' | 'hookLimits'> {
  return { config: entry.config, configPath: `${path}.config`, ...(configDir === undefined ? {} : { configDir }), ...(entry.timeLimits === undefined ? {} : { hookLimits: entry.timeLimits }) };
}

/** What a running backtest or session offers whoever watches it (the control API). */
export interface RunningSession {
  /** The account as of the bar in progress. */
  portfolio(): PortfolioSnapshot;
  /** A live session's external alert, taken in turn with its bars; absent in a backtest. */
  readonly alert?: (alert: ExternalAlert) => Promise<AlertDelivery>;
  /** A live session's kill switch: working orders cancelled and positions closed at each symbol's next bar. */
  readonly flatten?: (reason: string) => Promise<readonly FlattenedPosition[]>;
  /** Swaps a plugin for another version, in turn with the session's bars (see `PluginManager.reload`). */
  readonly reload?: (id: string, plugin: LoadablePlugin) => Promise<ReloadResult>;
}

/** What a run tells its caller about, and how the caller stops it. */
export interface RunHooks {
  /** Called once the plugins have started, before the first bar; the returned function runs after the last. */
  readonly attach?: (bus: EventBus, manager: PluginManager, session: RunningSession) => () => void;
  /** Called before the first bar with the time span the run covers (its bars stream in, so their number is not known). */
  readonly onSpan?: (span: { readonly start: number; readonly end: number }) => void;
  /** Stops the run after the bar in progress (Ctrl-C). */
  readonly signal?: AbortSignal;
  /** Where each symbol's history comes from instead of its data plugin (an optimisation's bars, loaded once). */
  readonly history?: (source: StartedSource, request: HistoricalBarsRequest) => AsyncIterable<readonly Bar[]>;
  /** Bars before this time only warm the strategies up (a walk-forward test span after its in-sample bars). */
  readonly tradeFrom?: number;
  /** Run after the last bar and before the plugins stop (the report's risk figures are read here). */
  readonly beforeShutdown?: () => Promise<void>;
}

/** A data plugin of a run, started, with the symbols it serves. */
export interface StartedSource extends DataSourceEntry {
  readonly provider: DataProvider;
  /** Whether its history goes through the history cache. */
  readonly cached: boolean;
  /** Its history: through the history cache when `cached`, else as the plugin serves it. */
  history(request: HistoricalBarsRequest, use?: CacheUse): AsyncIterable<readonly Bar[]>;
}

/** A run's plugins loaded and started, and the engine options they make; `shutdown` stops them all. */
export interface PreparedRun {
  readonly manager: PluginManager;
  /** The run's data plugins; each symbol comes from exactly one. */
  readonly sources: readonly StartedSource[];
  /** The engine's options; `tradeFrom` holds back trading before a time (a resumed paper session). */
  readonly engineOptions: (tradeFrom?: number) => BacktestOptions;
}

export interface PrepareOptions {
  /** The clock plugins see; wall-clock time by default. */
  readonly clock?: PluginClock;
  /** By instance id, handed to each plugin's `init` as `restoredState`: its `snapshot()` in the process being resumed. */
  readonly restoredStates?: Readonly<Record<string, unknown>>;
  /** Ctrl-C: start-up stops at once with a {@link RunInterruptedError}, and the plugins started so far are stopped. */
  readonly signal?: AbortSignal;
  /** A host rule asked before the run's risk plugins (the control API's halt switch), with its instance id. */
  readonly hostRisk?: { readonly id: string; readonly plugin: LoadablePlugin };
  /** Where the broker's asynchronous reports go from its start (a live session's), instead of the bus. */
  readonly brokerReports?: BrokerReports;
}

/**
 * Resolves the config's plugins, loads them, validates every config and starts them: the part a backtest and a
 * paper session share. The caller must `manager.shutdown()`.
 */
export async function prepareRun(config: RunConfig, catalog: PluginCatalog, file: string, options: PrepareOptions = {}): Promise<PreparedRun> {
  const refs = pluginReferences(config);
  const { problems, found } = resolvePlugins(refs, catalog);
  problems.push(...capabilityProblems(config, refs, found));
  const entry = (path: string) => found.get(path)!;
  if (problems.length > 0) {
    // The configs of the plugins that are there are checked too: one round reports everything.
    problems.push(...(await pluginConfigProblems(refs, found)));
    throw new ConfigInvalidError(`${file} names plugins that cannot be used (${problems.length} problem${problems.length === 1 ? '' : 's'})`, {
      path: file,
      problems,
      hint: 'install the missing plugin packages (npm install <package>) or correct the ids; `trading-orchestrator plugins list` shows what is installed and `plugins info <id>` a plugin\'s settings',
    });
  }
  // Relative paths in plugin configs are read from the run file's folder, as the journal's and the report's are.
  const configDir = isAbsolute(file) ? dirname(file) : undefined;
  const strategies = config.strategies.map((s, i) => ({ s, i })).filter(({ s }) => s.enabled);
  const fixed = strategies.filter(({ s }) => !s.shadow).reduce((sum, { s }) => sum + (s.allocation ?? 0), 0);
  const unallocated = strategies.filter(({ s }) => !s.shadow && s.allocation === undefined).length;
  const share = unallocated === 0 ? 0 : (1 - fixed) / unallocated;

  const restored = (spec: PluginSpec): PluginSpec => {
    const state = options.restoredStates?.[spec.instanceId!];
    return state === undefined ? spec : { ...spec, restoredState: state };
  };
  const data = dataSources(config);
  const specs: PluginSpec[] = [
    ...data.map((d) => ({ plugin: entry(d.path), instanceId: d.instanceId, ...settings(d.entry, d.path, configDir) })),
    ...strategies.map(({ s, i }) => ({ plugin: entry(`strategies[${i}]`), instanceId: s.id ?? s.plugin, ...settings(s, `strategies[${i}]`, configDir) })),
    ...config.indicators.map((x, i) => ({ plugin: entry(`indicators[${i}]`), instanceId: x.id ?? x.plugin, ...settings(x, `indicators[${i}]`, configDir) })),
    ...(options.hostRisk === undefined ? [] : [{ plugin: options.hostRisk.plugin, instanceId: options.hostRisk.id, config: {} }]),
    ...config.risk.map((r, i) => ({ plugin: entry(`risk[${i}]`), instanceId: r.id ?? r.plugin, ...settings(r, `risk[${i}]`, configDir) })),
    { plugin: entry('broker'), instanceId: brokerInstanceId(config), ...settings(config.broker, 'broker', configDir) },
    // Notifiers speak for sessions that run on; a backtest loads none.
    ...(config.mode === 'backtest' ? [] : config.notifiers.map((n, i) => ({ plugin: entry(`notifiers[${i}]`), instanceId: n.id ?? n.plugin, ...settings(n, `notifiers[${i}]`, configDir) }))),
  ].map(restored);
  // Made before the plugins start, whose contexts hold it; the engine feeds it.
  const indicators = new IndicatorBoard();
  const manager = new PluginManager({ indicators, ...(options.clock === undefined ? {} : { clock: options.clock }) });
  try {
    await untilAborted(manager.load(specs), options.signal, 'loading the plugins');
    if (options.brokerReports !== undefined) manager.receiveBrokerReports(options.brokerReports);
    await untilAborted(manager.start(), options.signal, 'starting the plugins');
  } catch (error) {
    await manager.shutdown();
    throw error;
  }
  const step = timeframeToMs(config.timeframe);
  const cache = config.historyCache === false ? undefined : new HistoryCache(resolve(configDir ?? process.cwd(), config.historyCache));
  const sources = data.map((d): StartedSource => {
    const provider = manager.get(d.instanceId)!.instance as DataProvider;
    // A plugin with a live feed downloads its history; one without reads local files or makes bars up.
    const cached = cache !== undefined && (d.entry.cache ?? entry(d.path).manifest?.capabilities?.feeds?.includes('live') === true);
    const fetch = (request: HistoricalBarsRequest) => provider.historicalBars(request);
    return { ...d, provider, cached, history: (request, use) => (cached ? cache!.bars(d.entry.plugin, d.entry.config, request, fetch, use) : fetch(request)) };
  });
  // What the data plugins say of each symbol first; the run file's instruments after, so they win.
  const instruments: InstrumentSpec[] = [];
  try {
    for (const s of sources) instruments.push(...(await untilAborted(instrumentsOf(manager, s.instanceId, s.provider, s.symbols), options.signal, 'fetching the instruments')));
    instruments.push(...Object.entries(config.instruments).map(([symbol, spec]) => ({ symbol, ...spec }) as InstrumentSpec));
  } catch (error) {
    await manager.shutdown();
    throw error;
  }
  return {
    manager,
    sources,
    engineOptions: (tradeFrom) => ({
      manager,
      brokerId: brokerInstanceId(config),
      riskIds: [...(options.hostRisk === undefined ? [] : [options.hostRisk.id]), ...config.risk.map((r) => r.id ?? r.plugin)],
      indicators: { board: indicators, ids: config.indicators.map((x) => x.id ?? x.plugin) },
      timeframe: config.timeframe,
      symbols: config.symbols,
      strategies: strategies.map(({ s }) => ({
        instanceId: s.id ?? s.plugin,
        allocation: s.shadow ? 0 : (s.allocation ?? share),
        shadow: s.shadow,
        sizing: s.sizing ?? defaultSizing((s.symbols ?? config.symbols).length),
        pyramiding: s.pyramiding,
        ...(s.atrPeriod === undefined ? {} : { atrPeriod: s.atrPeriod }),
        ...(s.symbols === undefined ? {} : { symbols: s.symbols }),
        ...(s.timeframes === undefined ? {} : { timeframes: s.timeframes }),
      })),
      capital: config.capital,
      currency: config.currency,
      account: config.account,
      allowShort: config.allowShort,
      instruments,
      periodsPerYear: config.periodsPerYear ?? YEAR_MS / step,
      riskFreeRate: config.riskFreeRate,
      warmupBars: config.warmupBars,
      closeAtEnd: config.closeAtEnd,
      ...(tradeFrom === undefined ? {} : { tradeFrom }),
    }),
  };
}

/** Runs a validated config: resolves the plugins, validates their configs, loads the bars and backtests. */
export async function runBacktest(config: RunConfig, catalog: PluginCatalog, file = 'the run config', hooks: RunHooks = {}): Promise<BacktestOutcome> {
  const started = performance.now();
  const start = Date.parse(config.start!);
  // Plugins see the simulated time of the bar in progress (a risk event raised on a bar carries that bar's time),
  // so a backtest's journal does not depend on when it was run.
  let engine: BacktestEngine | undefined;
  const now = () => (engine === undefined || engine.time === Number.NEGATIVE_INFINITY ? start : engine.time);
  const { manager, sources, engineOptions } = await prepareRun(config, catalog, file, { clock: { now }, ...(hooks.signal === undefined ? {} : { signal: hooks.signal }) });
  try {
    const end = Date.parse(config.end!);
    engine = new BacktestEngine(engineOptions(hooks.tradeFrom));
    hooks.onSpan?.({ start, end });
    const running = engine;
    const detach = hooks.attach?.(manager.bus, manager, { portfolio: () => running.portfolio() });
    try {
      // The history streams through in the data plugin's pages: memory does not grow with the length of the run.
      const signal = hooks.signal === undefined ? {} : { signal: hooks.signal };
      // Every bar passes the host's checks first: a refused one is published (journaled, and counted for the summary).
      const onRefused = (refused: RefusedBar) => manager.bus.publish('bar-refused', refused);
      const series = config.symbols.map((symbol) => {
        const source = sourceOf(sources, symbol);
        const request = { symbol, timeframe: config.timeframe, start, end, ...signal };
        return checkedSeries(hooks.history?.(source, request) ?? source.history(request), { pluginId: source.id, symbol, timeframe: config.timeframe, start, end, onRefused });
      });
      const pages = endOnAbort(mergePages(series), hooks.signal);
      const result = await engine.run(pages, hooks.signal);
      await hooks.beforeShutdown?.().catch(() => undefined);
      return { result, config, elapsedMs: performance.now() - started };
    } finally {
      detach?.();
    }
  } finally {
    await manager.shutdown();
  }
}
