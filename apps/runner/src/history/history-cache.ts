import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkBar, timeframeToMs, type Bar, type HistoricalBarsRequest, type Timeframe } from '@trading-orchestrator/plugin-api';

/** What a month file holds: the month's bars as rows of [time, open, high, low, close, volume]. */
interface MonthFile {
  readonly version: 1;
  readonly rows: readonly (readonly [number, number, number, number, number, number])[];
}

/** What the cache did for one request: months read from disk, and months asked of the plugin. */
export interface CacheUse {
  fromCache: number;
  fetched: number;
}

/** The first instant of the UTC month holding `time`, and of the next. */
function monthOf(time: number): [number, number] {
  const d = new Date(time);
  return [Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1), Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)];
}

/** JSON with keys in a fixed order, so the same config always hashes the same. */
function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (typeof value === 'object' && value !== null) return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${stable((value as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

/**
 * History kept on disk between runs, for data plugins that download it: a series (plugin, its config, symbol,
 * timeframe) is stored a UTC month per file. Only months that are wholly in the past and were fetched whole are
 * kept, so a stored month is never incomplete; the current month, and any month a request covers only in part, are
 * asked of the plugin every time. A file that cannot be read is fetched again and rewritten. Files are written to a
 * temporary name and renamed, so a run killed mid-write leaves no half file.
 */
export class HistoryCache {
  constructor(
    /** The cache's folder; a series lives in `<plugin>/<config hash>/<symbol>/<timeframe>/<YYYY-MM>.json`. */
    readonly dir: string,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * `request`'s bars, pages by month: stored months from disk, the rest from `fetch` (runs of missing months in one
   * request), storing each month that is now complete. `use` counts what came from where.
   */
  async *bars(pluginId: string, config: unknown, request: HistoricalBarsRequest, fetch: (request: HistoricalBarsRequest) => AsyncIterable<readonly Bar[]>, use: CacheUse = { fromCache: 0, fetched: 0 }): AsyncGenerator<readonly Bar[]> {
    const { symbol, timeframe, start, end } = request;
    const folder = join(this.dir, safe(pluginId), createHash('sha256').update(stable(config)).digest('hex').slice(0, 16), safe(symbol), timeframe);
    const inRange = (bars: readonly Bar[]) => bars.filter((b) => b.time >= start && b.time < end);
    // A month is final once its last bar's period is over.
    const finalBefore = this.now() - timeframeToMs(timeframe);
    let at = start;
    while (at < end) {
      const [monthStart, monthEnd] = monthOf(at);
      if (monthEnd > finalBefore) {
        // The month still forming (or later): asked of the plugin every time, never stored.
        use.fetched++;
        yield* fetch({ ...request, start: at, end });
        return;
      }
      const cached = this.read(folder, monthStart, symbol, timeframe);
      if (cached !== undefined) {
        use.fromCache++;
        const page = inRange(cached);
        if (page.length > 0) yield page;
        at = monthEnd;
        continue;
      }
      // This month and the missing final months after it, in one request of whole months, so each can be stored.
      let runEnd = monthEnd;
      while (runEnd < end && monthOf(runEnd)[1] <= finalBefore && !this.has(folder, runEnd)) runEnd = monthOf(runEnd)[1];
      // In-range bars are passed on page by page as they come (a slow venue must not look stalled while a month
      // downloads); each month is stored once a bar of a later month shows it complete, the last at the end.
      let month = monthStart;
      let bars: Bar[] = [];
      const storeUntil = (until: number) => {
        while (month < until) {
          use.fetched++;
          this.write(folder, month, bars);
          bars = [];
          month = monthOf(month)[1];
        }
      };
      for await (const page of fetch({ ...request, start: monthStart, end: runEnd })) {
        const out: Bar[] = [];
        for (const bar of page) {
          const barMonth = typeof bar?.time === 'number' && Number.isFinite(bar.time) ? monthOf(bar.time)[0] : Number.NaN;
          if (barMonth > month && barMonth < runEnd) storeUntil(barMonth);
          // A bar out of order, or outside what was asked, is passed on for the host to refuse, never stored.
          if (barMonth === month) bars.push(bar);
          if (barMonth !== month || (bar.time >= start && bar.time < end)) out.push(bar);
        }
        if (out.length > 0) yield out;
      }
      storeUntil(runEnd);
      at = runEnd;
    }
  }

  private file(folder: string, month: number): string {
    return join(folder, `${new Date(month).toISOString().slice(0, 7)}.json`);
  }

  private has(folder: string, month: number): boolean {
    try {
      return statSync(this.file(folder, month)).isFile();
    } catch {
      return false;
    }
  }

  private read(folder: string, month: number, symbol: string, timeframe: Timeframe): Bar[] | undefined {
    let parsed: MonthFile;
    try {
      parsed = JSON.parse(readFileSync(this.file(folder, month), 'utf8')) as MonthFile;
    } catch {
      return undefined;
    }
    if (parsed?.version !== 1 || !Array.isArray(parsed.rows)) return undefined;
    const bars: Bar[] = [];
    for (const row of parsed.rows) {
      if (!Array.isArray(row) || row.length !== 6) return undefined;
      const [time, open, high, low, close, volume] = row;
      const bar: Bar = { symbol, timeframe, time, open, high, low, close, volume };
      if (checkBar(bar) !== undefined) return undefined;
      bars.push(bar);
    }
    return bars;
  }

  private write(folder: string, month: number, bars: readonly Bar[]): void {
    try {
      mkdirSync(folder, { recursive: true });
      const file = this.file(folder, month);
      const content: MonthFile = { version: 1, rows: bars.map((b) => [b.time, b.open, b.high, b.low, b.close, b.volume] as const) };
      const temporary = `${file}.${process.pid}.tmp`;
      writeFileSync(temporary, JSON.stringify(content));
      renameSync(temporary, file);
    } catch {
      // A cache that cannot be written costs a download next time, nothing more.
    }
  }
}

/** A name safe as one path segment on every platform (BTC/USDT becomes BTC_USDT). */
function safe(name: string): string {
  return name.replace(/[^A-Za-z0-9._=^-]/g, '_');
}
