import { ConfigInvalidError } from '@trading-orchestrator/plugin-api';
import type { PluginCatalog } from '@trading-orchestrator/registry';
import type { RunConfig } from '../config/run-config.js';
import type { CacheUse } from '../history/history-cache.js';
import { untilAborted } from './interruption.js';
import { prepareRun } from './run-backtest.js';

/**
 * `data download`: fills the history cache with every series the run file's backtest reads (each symbol from its
 * data plugin, over start to end), so later runs read them from disk. Returns a line per series, and one per data
 * plugin that keeps no cache (it reads local files or makes its bars up).
 */
export async function downloadHistory(config: RunConfig, catalog: PluginCatalog, file: string, signal?: AbortSignal, onLine: (line: string) => void = () => undefined): Promise<string[]> {
  if (config.start === undefined || config.end === undefined) {
    throw new ConfigInvalidError(`${file} has no start and end: data download fetches the history of a backtest's span`, { path: config.start === undefined ? 'start' : 'end', hint: 'add start: and end: (a paper session warms up on recent history, which is not cached)' });
  }
  const start = Date.parse(config.start);
  const end = Date.parse(config.end);
  const { manager, sources } = await prepareRun(config, catalog, file, signal === undefined ? {} : { signal });
  const lines: string[] = [];
  const say = (line: string) => {
    lines.push(line);
    onLine(line);
  };
  try {
    if (config.historyCache === false) say(`historyCache is false in ${file}: there is no cache to fill`);
    for (const source of sources) {
      if (!source.cached) {
        say(`${source.id}: not cached (a data plugin without a live feed reads local files or makes its bars; set cache: true on its entry to cache it anyway)`);
        continue;
      }
      for (const symbol of source.symbols) {
        const use: CacheUse = { fromCache: 0, fetched: 0 };
        let bars = 0;
        const pages = source.history({ symbol, timeframe: config.timeframe, start, end, ...(signal === undefined ? {} : { signal }) }, use)[Symbol.asyncIterator]();
        for (;;) {
          const page = await untilAborted(pages.next(), signal, `downloading ${symbol}`);
          if (page.done === true) break;
          bars += page.value.length;
        }
        say(`${source.id} ${symbol} ${config.timeframe} ${config.start} to ${config.end}: ${bars} bars; months downloaded ${use.fetched}, already in the cache ${use.fromCache}`);
      }
    }
  } finally {
    await manager.shutdown();
  }
  return lines;
}
