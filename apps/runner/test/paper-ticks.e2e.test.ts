import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FakeBinance, KlineRow } from '@trading-orchestrator/data-binance/testing';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli } from './cli-harness.js';
import { openingState, startPresentDayBinance } from './present-day-binance.js';

/**
 * Trade prints and quotes of a live session, through the real runner, data-binance and ccxt against a local Binance:
 * a strategy's `onTick` sees each print, its signal becomes an order at the first bar opening after the print, and
 * a plugin subscribed to `quote` hears the ticker stream.
 */
const pluginsDir = fileURLToPath(new URL('../../../plugins', import.meta.url));
const breakout = fileURLToPath(new URL('./fixtures/strategy-tick-breakout', import.meta.url));
const WARMUP = 10;

let server: FakeBinance;
let dir: string;
let liveFrom: number;
let rows: readonly KlineRow[];

beforeAll(async () => {
  ({ server, dir, liveFrom, rows } = await startPresentDayBinance({ warmup: WARMUP, live: 5 }));
  const data = /data:\n {2}plugin: data-binance\n {2}config: .*\n/.exec(readFileSync(join(dir, 'paper.yaml'), 'utf8'))![0];
  writeFileSync(join(dir, 'ticks.yaml'), `mode: paper\n${data}symbols: [BTC/USDT]\ntimeframe: 1m\nwarmupBars: ${WARMUP}\ncapital: 100000\ncurrency: USDT\nstrategies:\n  - plugin: fixture-tick-breakout\n    config: { above: 1 }\n`);
});

afterAll(() => server?.close());

const ticker = (bid: string, ask: string, time: number) => ({
  symbol: 'BTCUSDT', priceChange: '0', priceChangePercent: '0', weightedAvgPrice: bid, prevClosePrice: bid, lastPrice: ask, lastQty: '0.01',
  bidPrice: bid, bidQty: '1', askPrice: ask, askQty: '1', openPrice: bid, highPrice: ask, lowPrice: bid, volume: '10', quoteVolume: '100',
  openTime: String(time - 86_400_000), closeTime: String(time), firstId: '1', lastId: '2', count: '2',
});

describe('ticks and quotes in a paper session against a local Binance', () => {
  it("hands every trade print to onTick and acts on its signal at the next bar's open; quotes reach a subscribed plugin", { timeout: 120_000 }, async () => {
    const session = startCli(dir, 'paper', '--config', 'ticks.yaml', '--plugin-dir', pluginsDir, '--plugin-path', breakout, '--bars', '3', '--journal', 'ticks.db', '--no-report');
    await Promise.all([server.subscribed('btcusdt@kline_1m'), server.subscribed('btcusdt@trade'), server.subscribed('btcusdt@ticker')]);
    const [bar0, bar1, bar2, bar3] = rows.slice(WARMUP);
    server.pushTicker('BTCUSDT', ticker(bar0![1], String(Number(bar0![1]) + 0.5), liveFrom + 10_000));
    // Quotes are top of book: two arriving together are one (the later); apart, each is heard.
    await new Promise((r) => setTimeout(r, 300));
    server.pushTicker('BTCUSDT', ticker(bar0![4], String(Number(bar0![4]) + 0.5), liveFrom + 20_000));
    await new Promise((r) => setTimeout(r, 300));
    // A print that lies (dated 2099) is refused by the host before the strategy sees it, and said once; one priced 0
    // the plugin itself drops.
    server.pushTrade('BTCUSDT', { id: 0, time: liveFrom + 25_000, price: '0', quantity: '0.5' });
    server.pushTrade('BTCUSDT', { id: 0, time: Date.UTC(2099, 0, 1), price: bar0![4], quantity: '0.5' });
    // A print during the first live bar: its open lies before the print, so the order waits for the next bar.
    server.pushTrade('BTCUSDT', { id: 1, time: liveFrom + 30_000, price: bar0![4], quantity: '0.5' });
    await new Promise((r) => setTimeout(r, 300));
    // A bar is final when the next one's first update arrives: the fourth closes the third.
    for (const row of [bar0!, bar1!, bar2!, bar3!]) {
      server.pushKline('BTCUSDT', '1m', openingState(row), false);
      server.pushKline('BTCUSDT', '1m', row, true);
      await new Promise((r) => setTimeout(r, 20));
    }
    const { code, out, err } = await session.done;
    expect(code, `${out}\n${err}`).toBe(0);
    expect(err).toMatch(/refused a trade print from data plugin "data-binance" \(FROM_THE_FUTURE\): a print of 2099-01-01/);
    const db = new Database(join(dir, 'ticks.db'), { readonly: true });
    try {
      const signals = db.prepare('SELECT time, reason FROM signals').all() as { time: number; reason: string }[];
      expect(signals).toEqual([{ time: liveFrom + 30_000, reason: `print at ${Number(bar0![4])} (buy) after 2 quotes` }]);
      const fills = db.prepare('SELECT time, price, side FROM fills').all() as { time: number; price: number; side: string }[];
      expect(fills).toEqual([{ time: bar1![0], price: Number(bar1![1]), side: 'buy' }]);
    } finally {
      db.close();
    }
  });
});
