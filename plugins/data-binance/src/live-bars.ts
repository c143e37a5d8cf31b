import { timeframeToMs, type Bar, type BarUpdate, type LiveBarsRequest } from '@trading-orchestrator/plugin-api';
import { toBars, type Candle } from './candles.js';
import type { FetchCandles } from './historical-bars.js';
import { socketWakeUps, type StreamSocketOptions } from './socket-wake-ups.js';

export interface LiveBarsOptions extends StreamSocketOptions {
  /** REST pages with retries, for back-filling what the socket missed. */
  readonly fetchPage: FetchCandles;
}

interface SymbolState {
  /** Open time of the last bar given as closed. */
  lastClosed: number | undefined;
  /** The bar still forming, as last seen. */
  forming: Bar | undefined;
  /**
   * Whether the socket has been up since `forming` was last updated. Binance pushes a kline's final state before
   * the next kline starts, so on an unbroken stream the forming bar's last state is its final one; after a drop it
   * may not be, and the bars up to the next live one come from REST instead.
   */
  continuous: boolean;
}

function sameValues(a: Bar, b: Bar): boolean {
  return a.open === b.open && a.high === b.high && a.low === b.low && a.close === b.close && a.volume === b.volume;
}

/**
 * Live bars over ccxt's kline websocket. A bar is given as `closed: true` exactly once, when the next one starts;
 * every change to the forming bar before that is an update with `closed: false`. When the socket drops or stalls,
 * the stream reconnects with backoff, and when the first live candle arrives again, the bars that closed in the
 * meantime are fetched over REST and given first, so the stream has no hole and no duplicate.
 */
export async function* streamBars(options: LiveBarsOptions, request: LiveBarsRequest): AsyncGenerator<BarUpdate> {
  const { logger } = options;
  const { symbols, timeframe, signal } = request;
  const timeframeMs = timeframeToMs(timeframe);
  const pairs = symbols.map((s) => [s, timeframe]);
  const state = new Map<string, SymbolState>(symbols.map((s) => [s, { lastClosed: undefined, forming: undefined, continuous: false }]));

  async function* fill(symbol: string, s: SymbolState, before: number): AsyncGenerator<BarUpdate> {
    const from = s.lastClosed !== undefined ? s.lastClosed + 1 : s.forming?.time;
    if (from === undefined || from >= before) return;
    const candles = await options.fetchPage(symbol, timeframe, from, before - 1);
    const { bars } = toBars(candles, symbol, timeframe, from - 1, before);
    if (bars.length > 0) logger.info(`${symbol} ${timeframe}: back-filled ${bars.length} bars over REST after the stream was interrupted`, { symbol, bars: bars.length });
    for (const bar of bars) {
      s.lastClosed = bar.time;
      yield { bar, closed: true };
    }
  }

  async function* apply(symbol: string, s: SymbolState, candle: Candle): AsyncGenerator<BarUpdate> {
    const { bars } = toBars([candle], symbol, timeframe, s.lastClosed ?? -Infinity);
    const bar = bars[0];
    if (bar === undefined) return;
    const forming = s.forming;
    if (forming !== undefined && bar.time < forming.time) return;
    if (forming !== undefined && bar.time === forming.time) {
      if (!sameValues(bar, forming)) {
        s.forming = bar;
        yield { bar, closed: false };
      }
      return;
    }
    if (forming !== undefined && s.continuous && bar.time === forming.time + timeframeMs) {
      s.lastClosed = forming.time;
      yield { bar: forming, closed: true };
    } else {
      yield* fill(symbol, s, bar.time);
    }
    s.forming = bar;
    s.continuous = true;
    yield { bar, closed: false };
  }

  const wakeUps = socketWakeUps((client) => client.watchOHLCVForSymbols(pairs), { ...options, what: 'kline stream', signal, onInterrupted: () => state.forEach((s) => (s.continuous = false)) });
  for await (const client of wakeUps) {
    // Read ccxt's candle cache rather than the call's result: one wake-up can carry updates of several symbols.
    for (const [symbol, s] of state) {
      const cached = (client.ohlcvs[symbol]?.[timeframe] ?? []) as readonly Candle[];
      const from = s.forming?.time ?? (s.lastClosed ?? -Infinity) + 1;
      for (const candle of cached) if ((candle[0] ?? -Infinity) >= from) yield* apply(symbol, s, candle);
    }
  }
}
