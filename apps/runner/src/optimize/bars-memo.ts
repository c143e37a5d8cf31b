import type { Bar, HistoricalBarsRequest } from '@trading-orchestrator/plugin-api';
import type { StartedSource } from '../commands/run-backtest.js';
import type { TimeSpan } from '@trading-orchestrator/research';

const PAGE = 1_000;

/**
 * A sweep's history, read from each data plugin once for the whole span and handed to every trial (and every
 * walk-forward window, as the slice it asks for). Trials differ in settings, never in bars; the bars are frozen by
 * the host's checks on their first pass, so no trial can change them for the next.
 */
export class BarsMemo {
  private readonly series = new Map<string, Promise<readonly Bar[]>>();

  constructor(private readonly span: TimeSpan) {}

  readonly history = (source: StartedSource, request: HistoricalBarsRequest): AsyncIterable<readonly Bar[]> => this.slice(source, request);

  private async *slice(source: StartedSource, request: HistoricalBarsRequest): AsyncIterable<readonly Bar[]> {
    const key = `${source.instanceId}\u0000${request.symbol}\u0000${request.timeframe}`;
    let loading = this.series.get(key);
    if (loading === undefined) {
      loading = this.load(source, { ...request, start: this.span.start, end: this.span.end });
      this.series.set(key, loading);
      // A failed load is tried again by the next trial rather than failing every one from memory.
      loading.catch(() => this.series.delete(key));
    }
    const bars = await loading;
    const from = firstAtOrAfter(bars, request.start);
    const to = firstAtOrAfter(bars, request.end);
    for (let i = from; i < to; i += PAGE) {
      request.signal?.throwIfAborted();
      yield bars.slice(i, Math.min(to, i + PAGE));
    }
  }

  private async load(source: StartedSource, request: HistoricalBarsRequest): Promise<readonly Bar[]> {
    const out: Bar[] = [];
    for await (const page of source.history(request)) for (const bar of page) out.push(bar);
    return out;
  }
}

function firstAtOrAfter(bars: readonly Bar[], time: number): number {
  let lo = 0;
  let hi = bars.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (bars[mid]!.time < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
