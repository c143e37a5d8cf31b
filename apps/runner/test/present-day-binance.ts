import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeBinance, type FakeAccountOptions, type FakeBinance, type KlineRow } from '@trading-orchestrator/data-binance/testing';
import { loadOhlcvCsv } from '@trading-orchestrator/plugin-testkit';
import { testDataFile } from '@trading-orchestrator/testdata';

const MINUTE = 60_000;

export interface PresentDayBinance {
  readonly server: FakeBinance;
  /** Open time of the first live bar: the current minute when the market was made. */
  readonly liveFrom: number;
  /** Every bar as a kline: `warmup` closed ones before `liveFrom` (served over REST), then the live ones. */
  readonly rows: readonly KlineRow[];
  /** A folder holding `paper.yaml`, a paper session on this market. */
  readonly dir: string;
}

/**
 * A local Binance whose BTCUSDT minute bars are real ones (FTX BTC-PERP, January 2022) moved to the present: the
 * first `warmup` end now and are served as history; the rest are for the test to push as live klines.
 */
export async function startPresentDayBinance(options: { warmup: number; live: number; extraConfig?: string; symbols?: readonly string[]; account?: FakeAccountOptions }): Promise<PresentDayBinance> {
  // Every symbol trades the same bars (only BTC's are real): what the tests look at is the feed, not the prices.
  const symbols = options.symbols ?? ['BTC/USDT'];
  const { bars } = loadOhlcvCsv(testDataFile('ohlcv/intraday/ftx-btc-perp-20211231-20220108_1m.csv'), { symbol: 'BTCUSDT', timeframe: '1m' });
  const liveFrom = Math.floor(Date.now() / MINUTE) * MINUTE;
  const rows: KlineRow[] = bars.slice(1_000, 1_000 + options.warmup + options.live).map((b, i) => {
    const t = liveFrom + (i - options.warmup) * MINUTE;
    return [t, String(b.open), String(b.high), String(b.low), String(b.close), String(b.volume), t + MINUTE - 1, (b.volume * b.close).toFixed(8), 0, '0', '0', '0'];
  });
  const server = await startFakeBinance({
    exchangeInfo: JSON.parse(readFileSync(testDataFile('binance/rest/http_spot_market_exchange_info.json'), 'utf8')),
    klines: Object.fromEntries(symbols.map((s) => [s.replace('/', ''), { '1m': rows.slice(0, options.warmup) }])),
    ...(options.account === undefined ? {} : { account: options.account }),
  });
  // The account's market trades where the warm-up ended.
  for (const s of symbols) server.account?.setPrice(s.replace('/', ''), Number(rows[options.warmup - 1]![4]));
  const dir = mkdtempSync(join(tmpdir(), 'to-paper-'));
  writeFileSync(
    join(dir, 'paper.yaml'),
    `mode: paper
data:
  plugin: data-binance
  config: { urls: { rest: "${server.restUrl}", ws: "${server.wsUrl}" }, rateLimitMs: 0 }
symbols: [${symbols.join(', ')}]
timeframe: 1m
warmupBars: ${options.warmup}
capital: 100000
currency: USDT
strategies:
  - plugin: ma-crossover
    config: { fast: 3, slow: 10 }
${options.extraConfig ?? ''}`,
  );
  return { server, liveFrom, rows, dir };
}

/** The first state of a kline (open price only), as the stream sends it when the bar starts. */
export function openingState(row: KlineRow): KlineRow {
  return [row[0], row[1], row[1], row[1], row[1], '0', row[6], '0', 0, '0', '0', '0'];
}

/**
 * The open time of the first live bar a paper session will trade, read from its `live from …` line once it has
 * written it. The session takes the current minute when it starts: a minute boundary passing between making the
 * market and starting the session moves it one bar later than `liveFrom`.
 */
export async function sessionLiveFrom(stderr: () => string, timeoutMs = 60_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = /^live from (\S+) after/m.exec(stderr());
    if (match !== null) return Date.parse(match[1]!);
    if (Date.now() > deadline) throw new Error(`the paper session did not go live within ${timeoutMs} ms; it wrote:\n${stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
