import { timeframeToMs, type Bar, type HistoricalBarsRequest, type PluginLogger } from '@trading-orchestrator/plugin-api';
import { findGaps, toBars, type Candle, type Gap } from './candles.js';
import type { BinanceClient } from './exchange.js';

export interface FetchCandles {
  /** One REST page of candles opening at or after `since` and at or before `until`. */
  (symbol: string, timeframe: string, since: number, until: number): Promise<readonly Candle[]>;
}

function describeGaps(gaps: readonly Gap[]): string {
  const missing = gaps.reduce((n, g) => n + g.missingBars, 0);
  const first = gaps[0]!;
  return `${gaps.length} gap${gaps.length > 1 ? 's' : ''}, ${missing} bars missing (first after ${new Date(first.after).toISOString()}, next bar ${new Date(first.before).toISOString()})`;
}

/**
 * Pages of bars over [start, end): each REST page starts just after the last bar already given, so pages never
 * overlap, and every page is ordered, de-duplicated and checked before it is yielded. Holes in the exchange's
 * history (maintenance, delistings) are logged once at the end, with the count of missing bars.
 */
export async function* paginateBars(fetchPage: FetchCandles, pageSize: number, request: HistoricalBarsRequest, logger: PluginLogger): AsyncGenerator<readonly Bar[]> {
  const { symbol, timeframe, start, end } = request;
  const fixedLength = timeframe !== '1M';
  const gaps: Gap[] = [];
  let rejected = 0;
  let firstRejection: string | undefined;
  let last: number | undefined;
  let since = start;
  while (since < end) {
    const candles = await fetchPage(symbol, timeframe, since, end - 1);
    const batch = toBars(candles, symbol, timeframe, since - 1, end);
    rejected += batch.rejected.length;
    const r = batch.rejected[0];
    if (r !== undefined) firstRejection ??= `${r.time === undefined ? '?' : new Date(r.time).toISOString()}: ${r.reason}`;
    if (batch.bars.length === 0) {
      // A page of only stale or broken candles may still be followed by good ones; an empty page is the end.
      const newest = Math.max(...candles.map((c) => c[0] ?? -Infinity));
      if (!(newest >= since)) break;
      since = newest + 1;
      continue;
    }
    if (fixedLength) gaps.push(...findGaps(batch.bars, timeframeToMs(timeframe), last));
    last = batch.bars.at(-1)!.time;
    since = last + 1;
    yield batch.bars;
    // A short page is the last one in range: no need to ask for an empty one.
    if (candles.length < pageSize) break;
  }
  if (gaps.length > 0) logger.warn(`${symbol} ${timeframe}: ${describeGaps(gaps)}`, { symbol, timeframe, gaps: gaps.length, missingBars: gaps.reduce((n, g) => n + g.missingBars, 0) });
  if (rejected > 0) logger.warn(`${symbol} ${timeframe}: ${rejected} candles broke the bar contract and were dropped (first ${firstRejection})`, { symbol, timeframe, rejected });
}

export function restPages(client: BinanceClient, pageSize: number): FetchCandles {
  return (symbol, timeframe, since, until) => client.fetchOHLCV(symbol, timeframe, since, pageSize, { until }) as Promise<readonly Candle[]>;
}
