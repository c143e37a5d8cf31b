import type { LiveQuotesRequest, Quote } from '@trading-orchestrator/plugin-api';
import { socketWakeUps, type StreamSocketOptions } from './socket-wake-ups.js';

export type LiveQuotesOptions = StreamSocketOptions;

interface CcxtTicker {
  readonly timestamp?: number | undefined;
  readonly bid?: number | undefined;
  readonly ask?: number | undefined;
  readonly bidVolume?: number | undefined;
  readonly askVolume?: number | undefined;
  readonly last?: number | undefined;
}

/** A quote from a ccxt ticker, or undefined while the venue has no two-sided book. */
export function tickerToQuote(symbol: string, ticker: CcxtTicker, fallbackTime: number): Quote | undefined {
  const { bid, ask } = ticker;
  if (bid === undefined || ask === undefined || !(bid > 0) || !(ask >= bid)) return undefined;
  return {
    symbol,
    time: ticker.timestamp ?? fallbackTime,
    bid,
    ask,
    ...(ticker.bidVolume === undefined ? {} : { bidSize: ticker.bidVolume }),
    ...(ticker.askVolume === undefined ? {} : { askSize: ticker.askVolume }),
    ...(ticker.last === undefined ? {} : { last: ticker.last }),
  };
}

function sameQuote(a: Quote | undefined, b: Quote): boolean {
  return a !== undefined && a.time === b.time && a.bid === b.bid && a.ask === b.ask && a.bidSize === b.bidSize && a.askSize === b.askSize;
}

/** Top of book from Binance's ticker stream, one quote per change, reconnecting like the kline stream. */
export async function* streamQuotes(options: LiveQuotesOptions, request: LiveQuotesRequest, now: () => number): AsyncGenerator<Quote> {
  const last = new Map<string, Quote>();
  const wakeUps = socketWakeUps((client) => client.watchTickers([...request.symbols], { name: 'ticker' }), { ...options, what: 'ticker stream', signal: request.signal, onInterrupted: () => undefined });
  for await (const client of wakeUps) {
    for (const symbol of request.symbols) {
      const ticker = client.tickers[symbol] as CcxtTicker | undefined;
      const quote = ticker === undefined ? undefined : tickerToQuote(symbol, ticker, now());
      if (quote === undefined || sameQuote(last.get(symbol), quote)) continue;
      last.set(symbol, quote);
      yield quote;
    }
  }
}
