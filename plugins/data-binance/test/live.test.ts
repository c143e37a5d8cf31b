import type { BarUpdate, Quote, Tick } from '@trading-orchestrator/plugin-api';
import { createTestContext } from '@trading-orchestrator/plugin-testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { binanceSource, binanceSourceConfig } from '../src/index.js';
import type { FakeBinance, KlineRow } from '../src/testing.js';
import { configFor, recorded, startRecordedBinance } from './recorded-binance.js';

/** The ten recorded minute klines, replayed as the stream would have sent them. */
const rows = recorded.klines;
/** The state of a kline partway through its minute: the recorded final values with the close not yet reached. */
const forming = (row: KlineRow): KlineRow => [row[0], row[1], row[2], row[3], row[1], String(Number(row[5]) / 2), row[6], row[7], row[8], row[9], row[10], row[11]];

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function stream(overrides: object = {}) {
  // The server starts with no klines: every bar reaches it through the test, as the exchange would form them.
  const server = await startRecordedBinance();
  cleanup.push(() => server.close());
  const ctx = createTestContext(binanceSourceConfig.parse(configFor(server, overrides)));
  const source = await binanceSource.init(ctx);
  cleanup.push(async () => source.stop?.());
  await source.start?.();
  const abort = new AbortController();
  cleanup.push(async () => abort.abort());
  const updates: BarUpdate[] = [];
  const iterator = source.liveBars!({ symbols: ['BTC/USDT'], timeframe: '1m', signal: abort.signal })[Symbol.asyncIterator]();
  /**
   * Pulls updates until `done` holds. Messages that arrive together are read from ccxt's cache at once, so a
   * forming state overwritten before it was read is not seen: only the latest state of a bar is promised.
   */
  const until = async (done: (updates: readonly BarUpdate[]) => boolean) => {
    while (!done(updates)) {
      const next = await iterator.next();
      if (next.done === true) throw new Error('stream ended');
      updates.push(next.value);
    }
    return updates;
  };
  const pending = until((u) => u.length > 0);
  await server.subscribed('btcusdt@kline_1m');
  return { server, ctx, updates, until, first: pending, abort, iterator };
}

const closedTimes = (updates: readonly BarUpdate[]) => updates.filter((u) => u.closed).map((u) => u.bar.time);
const formingAt = (time: number) => (updates: readonly BarUpdate[]) => updates.some((u) => !u.closed && u.bar.time === time);

async function playRow(server: FakeBinance, row: KlineRow) {
  server.pushKline('BTCUSDT', '1m', forming(row), false);
  server.pushKline('BTCUSDT', '1m', row, true);
}

describe('live bars from the Binance kline stream', () => {
  it('gives each forming change as an update and each bar as closed once, when the next one starts', async () => {
    const { server, until, first } = await stream();
    server.pushKline('BTCUSDT', '1m', forming(rows[0]!), false);
    await first;
    server.pushKline('BTCUSDT', '1m', rows[0]!, true);
    await until((u) => u.length === 2);
    server.pushKline('BTCUSDT', '1m', forming(rows[1]!), false);
    const updates = await until(formingAt(rows[1]![0]));
    expect(updates.map((u) => [u.bar.time, u.closed, u.bar.close])).toEqual([
      [rows[0]![0], false, Number(rows[0]![1])],
      [rows[0]![0], false, Number(rows[0]![4])],
      [rows[0]![0], true, Number(rows[0]![4])],
      [rows[1]![0], false, Number(rows[1]![1])],
    ]);
    expect(updates[2]!.bar).toEqual({ symbol: 'BTC/USDT', timeframe: '1m', time: 1634943780000, open: 60685.22, high: 60729.84, low: 60670.9, close: 60719.27, volume: 21.63272 });
  });

  it('reconnects after the socket drops and back-fills the bars it missed over REST, with no hole and no duplicate', async () => {
    const { server, ctx, updates, until, first } = await stream();
    await playRow(server, rows[0]!);
    await first;
    server.pushKline('BTCUSDT', '1m', forming(rows[1]!), false);
    await until(formingAt(rows[1]![0]));
    server.dropSockets();
    // While the socket is down, bars 1 to 4 close on the exchange.
    server.addKlines('BTCUSDT', '1m', rows.slice(1, 5));
    const resumed = until(formingAt(rows[5]![0]));
    await server.subscribed('btcusdt@kline_1m');
    expect(server.connections).toBe(2);
    server.pushKline('BTCUSDT', '1m', forming(rows[5]!), false);
    await resumed;
    expect(closedTimes(updates)).toEqual(rows.slice(0, 5).map((r) => r[0]));
    const backfilled = updates.filter((u) => u.closed).slice(1).map((u) => u.bar.close);
    expect(backfilled, 'the REST values, not the stale forming state').toEqual(rows.slice(1, 5).map((r) => Number(r[4])));
    expect(updates.at(-1)).toMatchObject({ closed: false, bar: { time: rows[5]![0] } });
    const messages = ctx.logs.map((l) => l.message);
    expect(messages).toContainEqual(expect.stringMatching(/^Binance kline stream interrupted \(.*\); reconnecting in \d+ ms$/));
    expect(messages).toContain('BTC/USDT 1m: back-filled 4 bars over REST after the stream was interrupted');
  });

  it('treats a socket that goes silent as dropped and reconnects', async () => {
    const { server, ctx, until, first } = await stream({ stallTimeoutMs: 300 });
    await playRow(server, rows[0]!);
    await first;
    // Nothing more is pushed: after 300 ms the stream gives up on this socket and opens a new one.
    const reconnected = until(formingAt(rows[2]![0]));
    await expect.poll(() => server.connections, { timeout: 20_000 }).toBe(2);
    await server.subscribed('btcusdt@kline_1m');
    server.addKlines('BTCUSDT', '1m', [rows[1]!]);
    server.pushKline('BTCUSDT', '1m', forming(rows[2]!), false);
    const updates = await reconnected;
    expect(closedTimes(updates)).toEqual([rows[0]![0], rows[1]![0]]);
    expect(ctx.logs.map((l) => l.message)).toContainEqual(expect.stringMatching(/interrupted \(no message for 300 ms\)/));
  });

  it('ignores a candle that arrives again or out of order', async () => {
    const { server, until, first } = await stream();
    await playRow(server, rows[0]!);
    await first;
    for (const [row, closed] of [[rows[0]!, true], [forming(rows[1]!), false], [rows[0]!, true], [rows[1]!, true], [rows[0]!, true], [forming(rows[2]!), false]] as const) {
      server.pushKline('BTCUSDT', '1m', row, closed);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const updates = await until(formingAt(rows[2]![0]));
    expect(closedTimes(updates)).toEqual([rows[0]![0], rows[1]![0]]);
    const times = updates.map((u) => u.bar.time);
    expect(times, 'never back in time').toEqual([...times].sort((a, b) => a - b));
  });

  it('ends when the request is aborted, without giving the forming bar as closed', async () => {
    const { server, updates, first, abort, iterator } = await stream();
    await playRow(server, rows[0]!);
    await first;
    abort.abort();
    server.pushKline('BTCUSDT', '1m', forming(rows[1]!), false);
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
    expect(closedTimes(updates)).toEqual([]);
  });

  it('refuses unknown symbols before opening a socket', async () => {
    const server = await startRecordedBinance();
    cleanup.push(() => server.close());
    const source = await binanceSource.init(createTestContext(binanceSourceConfig.parse(configFor(server))));
    const iterator = source.liveBars!({ symbols: ['BTC/USDT', 'ETH/USDC'], timeframe: '1m', signal: new AbortController().signal })[Symbol.asyncIterator]();
    await expect(iterator.next()).rejects.toMatchObject({ code: 'DATA_UNAVAILABLE', path: 'symbols[1]', message: expect.stringMatching(/^Binance lists no spot market "ETH\/USDC" \(did you mean ETH\/USDT/) });
    expect(server.connections).toBe(0);
    await source.stop?.();
  });
});

describe('live quotes from the Binance ticker stream', () => {
  it('gives the top of book of each ticker event, once per change', async () => {
    const server = await startRecordedBinance();
    cleanup.push(() => server.close());
    const source = await binanceSource.init(createTestContext(binanceSourceConfig.parse(configFor(server))));
    cleanup.push(async () => source.stop?.());
    const abort = new AbortController();
    cleanup.push(async () => abort.abort());
    const iterator = source.liveQuotes!({ symbols: ['BTC/USDT'], signal: abort.signal })[Symbol.asyncIterator]();
    const next = iterator.next();
    await server.subscribed('btcusdt@ticker');
    server.pushTicker('BTCUSDT', recorded.ticker);
    const quotes: Quote[] = [(await next).value as Quote];
    const second = iterator.next();
    server.pushTicker('BTCUSDT', recorded.ticker);
    await new Promise((resolve) => setTimeout(resolve, 50));
    server.pushTicker('BTCUSDT', { ...recorded.ticker, bidPrice: '73369.80', closeTime: '1710328246391' });
    quotes.push((await second).value as Quote);
    expect(quotes).toEqual([
      { symbol: 'BTC/USDT', time: 1710328245391, bid: 73369.83, ask: 73369.84, bidSize: 6.27086, askSize: 0.03321, last: 73369.84 },
      { symbol: 'BTC/USDT', time: 1710328246391, bid: 73369.8, ask: 73369.84, bidSize: 6.27086, askSize: 0.03321, last: 73369.84 },
    ]);
  });
});

describe('live ticks from the Binance trade stream', () => {
  it('gives every trade print once, in order, with its aggressor side, across socket drops', async () => {
    const server = await startRecordedBinance();
    cleanup.push(() => server.close());
    const source = await binanceSource.init(createTestContext(binanceSourceConfig.parse(configFor(server, { reconnect: { initialDelayMs: 10, maxDelayMs: 20 } }))));
    cleanup.push(async () => source.stop?.());
    const abort = new AbortController();
    cleanup.push(async () => abort.abort());
    const iterator = source.liveTicks!({ symbols: ['BTC/USDT'], signal: abort.signal })[Symbol.asyncIterator]();
    const ticks: Tick[] = [];
    const take = async (n: number) => {
      for (let i = 0; i < n; i++) ticks.push((await iterator.next()).value as Tick);
    };
    const first = take(2);
    await server.subscribed('btcusdt@trade');
    server.pushTrade('BTCUSDT', { id: 101, time: 1710328245000, price: '73369.84', quantity: '0.012' });
    server.pushTrade('BTCUSDT', { id: 102, time: 1710328245100, price: '73369.80', quantity: '0.5', buyerIsMaker: true });
    await first;
    server.dropSockets();
    const second = take(1);
    await server.subscribed('btcusdt@trade');
    // The exchange sends no trade twice; a print arriving after the reconnection is the next one.
    server.pushTrade('BTCUSDT', { id: 103, time: 1710328246000, price: '73370.10', quantity: '0.2' });
    await second;
    expect(ticks).toEqual([
      { symbol: 'BTC/USDT', time: 1710328245000, price: 73369.84, size: 0.012, side: 'buy' },
      { symbol: 'BTC/USDT', time: 1710328245100, price: 73369.8, size: 0.5, side: 'sell' },
      { symbol: 'BTC/USDT', time: 1710328246000, price: 73370.1, size: 0.2, side: 'buy' },
    ]);
  });
});
