import type { Bar, HistoricalBarsRequest, Timeframe } from '@trading-orchestrator/plugin-api';
import type { StartedSource } from '../commands/run-backtest.js';

const PAGE = 1_000;
const COLUMNS = 6;

/**
 * One series of bars as six Float64 columns (time, open, high, low, close, volume) in one SharedArrayBuffer: worker
 * threads read the same memory, so a sweep's bars exist once however many threads run trials. Only the OHLCV fields
 * travel: a field a data plugin adds to its bars is not kept.
 */
export interface SharedSeries {
  readonly sourceId: string;
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly length: number;
  readonly buffer: SharedArrayBuffer;
}

const seriesKey = (sourceId: string, symbol: string, timeframe: string) => `${sourceId}\u0000${symbol}\u0000${timeframe}`;

export function packSeries(sourceId: string, symbol: string, timeframe: Timeframe, bars: readonly Bar[]): SharedSeries {
  const n = bars.length;
  const buffer = new SharedArrayBuffer(Math.max(1, n * COLUMNS) * Float64Array.BYTES_PER_ELEMENT);
  const f = new Float64Array(buffer);
  for (let i = 0; i < n; i++) {
    const b = bars[i]!;
    f[i] = b.time;
    f[n + i] = b.open;
    f[2 * n + i] = b.high;
    f[3 * n + i] = b.low;
    f[4 * n + i] = b.close;
    f[5 * n + i] = b.volume;
  }
  return { sourceId, symbol, timeframe, length: n, buffer };
}

/** Bars served from shared columns: each page is made when it is asked for and dropped after, so a thread holds no copy. */
export class SharedBars {
  private readonly series = new Map<string, { readonly s: SharedSeries; readonly f: Float64Array }>();

  constructor(series: readonly SharedSeries[]) {
    for (const s of series) this.series.set(seriesKey(s.sourceId, s.symbol, s.timeframe), { s, f: new Float64Array(s.buffer) });
  }

  readonly history = (source: StartedSource, request: HistoricalBarsRequest): AsyncIterable<readonly Bar[]> => this.pages(source.instanceId, request);

  private async *pages(sourceId: string, request: HistoricalBarsRequest): AsyncIterable<readonly Bar[]> {
    const found = this.series.get(seriesKey(sourceId, request.symbol, request.timeframe));
    if (found === undefined) throw new Error(`the sweep's shared bars hold no ${request.symbol} ${request.timeframe} series of ${sourceId}`);
    const { s, f } = found;
    const n = s.length;
    const from = firstAtOrAfter(f, n, request.start);
    const to = firstAtOrAfter(f, n, request.end);
    for (let i = from; i < to; i += PAGE) {
      request.signal?.throwIfAborted();
      const page: Bar[] = [];
      for (let k = i; k < Math.min(to, i + PAGE); k++) page.push({ symbol: s.symbol, timeframe: s.timeframe, time: f[k]!, open: f[n + k]!, high: f[2 * n + k]!, low: f[3 * n + k]!, close: f[4 * n + k]!, volume: f[5 * n + k]! });
      yield page;
    }
  }
}

function firstAtOrAfter(times: Float64Array, n: number, time: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
