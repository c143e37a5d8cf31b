import type { Bar } from '@trading-orchestrator/plugin-api';
import type { PluginCatalog } from '@trading-orchestrator/registry';
import { prepareRun } from '../commands/run-backtest.js';
import { sourceOf } from '../config/data-sources.js';
import type { RunConfig } from '../config/run-config.js';
import { packSeries, type SharedSeries } from './bar-columns.js';

/**
 * Reads each symbol's bars over the run's span from its data plugin once, into shared columns for the worker
 * threads. The plugins are started for this and stopped after; every trial then checks the bars as any run does.
 */
export async function loadSharedBars(config: RunConfig, catalog: PluginCatalog, file: string, signal?: AbortSignal): Promise<SharedSeries[]> {
  const start = Date.parse(config.start!);
  const end = Date.parse(config.end!);
  const { manager, sources } = await prepareRun(config, catalog, file, signal === undefined ? {} : { signal });
  try {
    const series: SharedSeries[] = [];
    for (const symbol of config.symbols) {
      const source = sourceOf(sources, symbol);
      const bars: Bar[] = [];
      for await (const page of source.history({ symbol, timeframe: config.timeframe, start, end, ...(signal === undefined ? {} : { signal }) })) for (const bar of page) bars.push(bar);
      series.push(packSeries(source.instanceId, symbol, config.timeframe, bars));
    }
    return series;
  } finally {
    await manager.shutdown();
  }
}
