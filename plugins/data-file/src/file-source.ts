import { readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { parseOhlcvCsv, parseOhlcvJson, type LoadedBars, type OhlcvLoadOptions } from '@trading-orchestrator/market-data';
import { DataUnavailableError, defineDataProvider, nearestNames, type Bar, type HistoricalBarsRequest, type Timeframe } from '@trading-orchestrator/plugin-api';
import { fileSourceConfig, type FileSourceConfig } from './config.js';

const PAGE = 5_000;

/** First index whose bar opens at or after `time`. */
function lowerBound(bars: readonly Bar[], time: number): number {
  let lo = 0;
  let hi = bars.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (bars[mid]!.time < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Bars from CSV or JSON files in the layouts the test kit reads (preambles, descending dates, long format with a
 * symbol column, headerless klines, …). Files are read on the first request and kept; rows that break the bar
 * contract are skipped and reported once per file in the log.
 */
export const fileSource = defineDataProvider({
  configSchema: fileSourceConfig,
  init(ctx) {
    const config: FileSourceConfig = ctx.config;
    // Relative paths are read from the run file's folder, as the host reads its own; without one, the current folder.
    const from = ctx.configDir ?? process.cwd();
    const baseDir = config.baseDir === undefined ? from : resolve(from, config.baseDir);
    let series: Map<string, Map<Timeframe, Bar[]>> | undefined;

    const load = (): Map<string, Map<Timeframe, Bar[]>> => {
      if (series !== undefined) return series;
      const out = new Map<string, Map<Timeframe, Bar[]>>();
      config.files.forEach((file, i) => {
        const path = resolve(baseDir, file.path);
        let text: string;
        try {
          text = readFileSync(path, 'utf8');
        } catch (error) {
          throw new DataUnavailableError(`cannot read data file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
            pluginId: ctx.pluginId,
            path: `files[${i}].path`,
            hint: `check files[${i}].path (relative paths resolve from ${baseDir})`,
          });
        }
        const options: OhlcvLoadOptions = {
          timeframe: file.timeframe,
          ...(file.symbol === undefined ? {} : { symbol: file.symbol }),
          ...(file.volumeColumn === undefined ? {} : { volumeColumn: file.volumeColumn }),
          ...(file.delimiter === undefined ? {} : { delimiter: file.delimiter }),
          ...(file.decimal === undefined ? {} : { decimal: file.decimal }),
          ...(file.columns === undefined ? {} : { columns: file.columns }),
          ...(file.timeZone === undefined ? {} : { timeZone: file.timeZone }),
        };
        let loaded: LoadedBars;
        try {
          loaded = (file.format ?? (extname(path).toLowerCase() === '.json' ? 'json' : 'csv')) === 'json' ? parseOhlcvJson(JSON.parse(text), options) : parseOhlcvCsv(text, options);
        } catch (error) {
          throw new DataUnavailableError(`cannot read bars from ${path}: ${(error as Error).message}`, { pluginId: ctx.pluginId, path: `files[${i}]`, hint: 'check the file layout and the symbol and timeframe given for it' });
        }
        if (loaded.warnings.length > 0) {
          const sample = loaded.warnings.slice(0, 3).map((p) => `line ${p.line}: ${p.message}`).join('; ');
          ctx.logger.warn(`${path}: ${sample}${loaded.warnings.length > 3 ? '; …' : ''}`, { file: path, rows: loaded.warnings.length });
        }
        if (loaded.problems.length > 0) {
          const sample = loaded.problems.slice(0, 3).map((p) => `line ${p.line}: ${p.message}`).join('; ');
          ctx.logger.warn(`${loaded.problems.length} rows of ${path} skipped (${sample}${loaded.problems.length > 3 ? '; …' : ''})`, { file: path, skipped: loaded.problems.length });
        }
        for (const bar of loaded.bars) {
          let bySymbol = out.get(bar.symbol);
          if (bySymbol === undefined) out.set(bar.symbol, (bySymbol = new Map()));
          let list = bySymbol.get(bar.timeframe);
          if (list === undefined) bySymbol.set(bar.timeframe, (list = []));
          list.push(bar);
        }
      });
      // Two files may hold the same symbol and timeframe: merge them in time order, first file winning on a tie.
      for (const bySymbol of out.values()) {
        for (const [tf, list] of bySymbol) {
          const merged = list.map((b, i) => ({ b, i })).sort((x, y) => x.b.time - y.b.time || x.i - y.i).map((x) => x.b);
          bySymbol.set(tf, merged.filter((b, i) => i === 0 || b.time !== merged[i - 1]!.time));
        }
      }
      series = out;
      return out;
    };

    async function* historicalBars(request: HistoricalBarsRequest): AsyncGenerator<readonly Bar[]> {
      const all = load();
      const bySymbol = all.get(request.symbol);
      if (bySymbol === undefined) {
        const near = nearestNames(request.symbol, [...all.keys()]);
        throw new DataUnavailableError(`no file holds symbol "${request.symbol}"${near.length > 0 ? ` (did you mean ${near.join(', ')}?)` : ''}`, {
          pluginId: ctx.pluginId,
          path: 'files',
          hint: `symbols in the configured files: ${[...all.keys()].sort().join(', ') || 'none'}`,
        });
      }
      const bars = bySymbol.get(request.timeframe);
      if (bars === undefined) {
        throw new DataUnavailableError(`no ${request.timeframe} bars for "${request.symbol}"; the files hold ${[...bySymbol.keys()].join(', ')}`, {
          pluginId: ctx.pluginId,
          path: 'files',
          hint: `request one of those timeframes, or add a ${request.timeframe} file for ${request.symbol}`,
        });
      }
      const end = lowerBound(bars, request.end);
      for (let i = lowerBound(bars, request.start); i < end; i += PAGE) {
        if (request.signal?.aborted === true) return;
        yield bars.slice(i, Math.min(end, i + PAGE));
      }
    }

    return {
      historicalBars,
      symbols: () => [...load().keys()].sort(),
      health: () => ({ status: 'healthy', metrics: { symbols: series?.size ?? 0 } }),
    };
  },
});

export default fileSource;
