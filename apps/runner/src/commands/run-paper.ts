import { BacktestEngine, mergeBars } from '@trading-orchestrator/engine';
import { ConfigInvalidError, timeframeToMs, type Bar } from '@trading-orchestrator/plugin-api';
import type { PluginCatalog } from '@trading-orchestrator/registry';
import type { RunConfig } from '../config/run-config.js';
import { prepareRun, type BacktestOutcome, type RunHooks } from './run-backtest.js';

export interface PaperHooks extends RunHooks {
  /** Ends the session after this many live closed bars (all symbols together); default: until stopped. */
  readonly maxBars?: number;
  /** Told when warm-up is done and the session waits for live bars. */
  readonly onLive?: (info: { warmupBars: number; from: number }) => void;
  /** Wall-clock time; a parameter so tests can pin it. */
  readonly now?: () => number;
}

/**
 * A paper session: the same engine, broker and plugins as a backtest, on the data plugin's live closed bars
 * instead of its history. Strategies first see the latest `warmupBars` bars of history, with trading off; from
 * then on every closed live bar is processed as it arrives, until `maxBars`, the stream ends, or the signal
 * aborts (Ctrl-C).
 */
export async function runPaper(config: RunConfig, catalog: PluginCatalog, file = 'the run config', hooks: PaperHooks = {}): Promise<BacktestOutcome> {
  const started = performance.now();
  const { manager, source, engineOptions } = await prepareRun(config, catalog, file);
  try {
    if (source.liveBars === undefined) {
      throw new ConfigInvalidError(`${file}: data plugin "${config.data.plugin}" serves no live bars`, {
        path: 'data.plugin',
        hint: 'a paper session needs a data plugin with the live feed (e.g. data-binance); `trading-orchestrator plugins info <id>` shows its feeds',
      });
    }
    const step = timeframeToMs(config.timeframe);
    const now = hooks.now?.() ?? Date.now();
    // The bar that opened at the last step boundary is still forming: history ends before it.
    const liveFrom = Math.floor(now / step) * step;
    const warmup: Bar[][] = [];
    for (const symbol of config.symbols) {
      const bars: Bar[] = [];
      if (config.warmupBars > 0) {
        for await (const page of source.historicalBars({ symbol, timeframe: config.timeframe, start: liveFrom - config.warmupBars * step, end: liveFrom })) bars.push(...page);
      }
      warmup.push(bars);
    }
    const engine = new BacktestEngine(engineOptions(liveFrom));
    const detach = hooks.attach?.(manager.bus);
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    hooks.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const warmed = warmup.reduce((n, s) => n + s.length, 0);
      for (const bar of mergeBars(warmup)) await engine.process(bar);
      hooks.onLive?.({ warmupBars: warmed, from: liveFrom });
      let live = 0;
      let latest = -Infinity;
      if (hooks.maxBars !== 0 && !stop.signal.aborted) {
        for await (const update of source.liveBars({ symbols: config.symbols, timeframe: config.timeframe, signal: stop.signal })) {
          // A bar the warm-up already covered is not processed twice; one that closes after a later bar of another
          // symbol was processed would break time order, and is left out.
          if (!update.closed || update.bar.time < liveFrom || update.bar.time < latest) continue;
          latest = update.bar.time;
          await engine.process(update.bar);
          if (++live >= (hooks.maxBars ?? Infinity)) break;
        }
      }
      return { result: engine.finish(hooks.signal?.aborted === true), config, elapsedMs: performance.now() - started };
    } finally {
      hooks.signal?.removeEventListener('abort', onAbort);
      stop.abort();
      detach?.();
    }
  } finally {
    await manager.shutdown();
  }
}
