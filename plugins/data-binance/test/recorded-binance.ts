import { readFileSync } from 'node:fs';
import { loadOhlcvCsv } from '@trading-orchestrator/plugin-testkit';
import { startFakeBinance, type FakeBinance, type KlineRow } from '../src/testing.js';
import { testDataFile } from '@trading-orchestrator/testdata';

const json = (path: string): unknown => JSON.parse(readFileSync(testDataFile(path), 'utf8'));

/** Binance's recorded exchangeInfo (BTCUSDT and ETHUSDT), 24hr ticker and ten BTCUSDT minute klines of 2021-10-22. */
export const recorded = {
  exchangeInfo: json('binance/rest/http_spot_market_exchange_info.json'),
  klines: json('binance/rest/http_spot_market_klines.json') as KlineRow[],
  ticker: (json('binance/ccxt-static/response.binance.subset.json') as { methods: { fetchTicker: { httpResponse: Record<string, string> }[] } }).methods.fetchTicker[0]!.httpResponse,
};

/**
 * A week of real BTC minute bars (FTX BTC-PERP, 2022-01-01 to 01-07) written as Binance klines, so pagination has more than
 * the ten recorded rows to walk through. The prices are real; the venue is not Binance.
 */
export function ftxMinuteKlines(): KlineRow[] {
  const { bars } = loadOhlcvCsv(testDataFile('ohlcv/intraday/ftx-btc-perp-20211231-20220108_1m.csv'), { symbol: 'BTCUSDT', timeframe: '1m' });
  return bars.map((b) => [b.time, String(b.open), String(b.high), String(b.low), String(b.close), String(b.volume), b.time + 59_999, (b.volume * b.close).toFixed(8), 0, '0', '0', '0']);
}

export function startRecordedBinance(extra: KlineRow[] = []): Promise<FakeBinance> {
  return startFakeBinance({
    exchangeInfo: recorded.exchangeInfo,
    klines: { BTCUSDT: { '1m': [...recorded.klines, ...extra] } },
    tickers: { BTCUSDT: recorded.ticker },
  });
}

/** Plugin config pointing at `server`, with retries quick enough for tests. */
export function configFor(server: FakeBinance, overrides: object = {}): object {
  return { urls: { rest: server.restUrl, ws: server.wsUrl }, rateLimitMs: 0, retries: { baseDelayMs: 20, maxDelayMs: 200 }, reconnect: { baseDelayMs: 20, maxDelayMs: 200 }, ...overrides };
}
