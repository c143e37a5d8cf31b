import { collectBars, createTestContext } from '@trading-orchestrator/plugin-testkit';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { binanceSource, binanceSourceConfig } from '../src/index.js';
import type { FakeBinance, Fault } from '../src/testing.js';
import { configFor, ftxMinuteKlines, recorded, startRecordedBinance } from './recorded-binance.js';

const month = ftxMinuteKlines();
const server = await startRecordedBinance(month);
afterAll(() => server.close());

const opened: { stop?: () => unknown }[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.stop?.()));
});

async function source(overrides: object = {}, on: FakeBinance = server) {
  const ctx = createTestContext(binanceSourceConfig.parse(configFor(on, overrides)));
  const s = await binanceSource.init(ctx);
  opened.push(s);
  await s.start?.();
  return { ctx, s };
}

const jan3 = { symbol: 'BTC/USDT', timeframe: '1m', start: Date.UTC(2022, 0, 3), end: Date.UTC(2022, 0, 3, 3) } as const;
const expectedJan3 = month.filter((r) => r[0] >= jan3.start && r[0] < jan3.end).map((r) => r[0]);

function klineRequestsSince(n: number) {
  return server.requests.slice(n).filter((r) => r.path === '/api/v3/klines');
}

describe('historical bars from Binance', () => {
  it('gives the recorded klines as they are', async () => {
    const { s } = await source();
    const first = recorded.klines[0]!;
    const { bars } = await collectBars(s.historicalBars({ symbol: 'BTC/USDT', timeframe: '1m', start: first[0], end: first[0] + 10 * 60_000 }));
    expect(bars).toHaveLength(10);
    expect(bars[0]).toEqual({ symbol: 'BTC/USDT', timeframe: '1m', time: 1634943780000, open: 60685.22, high: 60729.84, low: 60670.9, close: 60719.27, volume: 21.63272 });
    expect(bars.map((b) => b.close)).toEqual(recorded.klines.map((r) => Number(r[4])));
  });

  it('pages through a long range, each page starting after the last bar of the one before', async () => {
    const { s } = await source({ pageSize: 1000 });
    const before = server.requests.length;
    const range = { symbol: 'BTC/USDT', timeframe: '1m', start: Date.UTC(2022, 0, 1), end: Date.UTC(2022, 0, 5) } as const;
    const { bars, pages } = await collectBars(s.historicalBars(range));
    const expected = month.filter((r) => r[0] >= range.start && r[0] < range.end);
    expect(bars.map((b) => b.time)).toEqual(expected.map((r) => r[0]));
    expect(pages).toBe(Math.ceil(expected.length / 1000));
    const starts = klineRequestsSince(before).map((r) => Number(r.query['startTime']));
    expect(starts.slice(1)).toEqual(bars.filter((_, i) => i % 1000 === 999).map((b) => b.time + 1));
    expect(klineRequestsSince(before).every((r) => r.query['endTime'] === String(range.end - 1) && r.query['limit'] === '1000')).toBe(true);
  });

  it('orders and de-duplicates candles the exchange sends shuffled and repeated', async () => {
    const { s } = await source({ pageSize: 50 });
    server.fail('/api/v3/klines', { kind: 'shuffled-with-duplicates' }, { kind: 'shuffled-with-duplicates' });
    const { bars } = await collectBars(s.historicalBars(jan3));
    expect(bars.map((b) => b.time)).toEqual(expectedJan3);
  });

  it('reports holes in the history with the number of missing bars', async () => {
    const holed = await startRecordedBinance(month.filter((r) => r[0] < Date.UTC(2022, 0, 3, 1) || r[0] >= Date.UTC(2022, 0, 3, 1, 7)));
    try {
      const { ctx, s } = await source({}, holed);
      const { bars } = await collectBars(s.historicalBars(jan3));
      expect(bars).toHaveLength(expectedJan3.length - 7);
      expect(ctx.logs.map((l) => l.message)).toContain('BTC/USDT 1m: 1 gap, 7 bars missing (first after 2022-01-03T00:59:00.000Z, next bar 2022-01-03T01:07:00.000Z)');
    } finally {
      await holed.close();
    }
  });

  const recoverable: [string, Fault, RegExp][] = [
    ['HTTP 500', { kind: 'status', status: 500 }, /failed \(binance .*-1000.*unknown error.*\); retry 1 of 5 in \d+ ms/],
    ['HTTP 503', { kind: 'status', status: 503, body: '<html>Service Unavailable</html>' }, /failed \(.*\); retry 1 of 5/],
    ['malformed JSON', { kind: 'malformed-json' }, /failed \(.*\); retry 1 of 5/],
    ['a truncated body', { kind: 'truncated' }, /failed \(.*\); retry 1 of 5/],
    ['a server that stalls', { kind: 'stall' }, /failed \(.*(timed out|timeout).*\); retry 1 of 5/i],
  ];
  for (const [name, fault, logged] of recoverable) {
    it(`retries after ${name} on the second page and loses no bar`, async () => {
      const { ctx, s } = await source({ pageSize: 60, requestTimeoutMs: 500 });
      const before = server.requests.length;
      const pages = s.historicalBars(jan3)[Symbol.asyncIterator]();
      const firstPage = await pages.next();
      server.fail('/api/v3/klines', fault);
      const rest = await collectBars({ [Symbol.asyncIterator]: () => pages });
      const times = [...(firstPage.value as { time: number }[]), ...rest.bars].map((b) => b.time);
      expect(times).toEqual(expectedJan3);
      expect(ctx.logs.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual([expect.stringMatching(logged)]);
      // The failed page is asked for again from the same place.
      const starts = klineRequestsSince(before).map((r) => r.query['startTime']);
      expect(starts[1]).toBe(starts[2]);
    });
  }

  it('waits as long as a 429 Retry-After asks, then goes on', async () => {
    const { ctx, s } = await source({ retries: { baseDelayMs: 5, maxDelayMs: 10 } });
    server.fail('/api/v3/klines', { kind: 'status', status: 429, retryAfterSeconds: 1 });
    const started = Date.now();
    const { bars } = await collectBars(s.historicalBars(jan3));
    expect(Date.now() - started).toBeGreaterThanOrEqual(990);
    expect(bars.map((b) => b.time)).toEqual(expectedJan3);
    expect(ctx.logs.map((l) => l.message)).toContainEqual(expect.stringMatching(/rate limited \(binance 429 .*Too many requests.*\); retry 1 of 5 in 1000 ms$/));
  });

  it('gives up after the configured retries with an error that says what failed and what to do', async () => {
    const { s } = await source({ retries: { max: 2, baseDelayMs: 1, maxDelayMs: 2 } });
    server.fail('/api/v3/klines', ...Array.from({ length: 3 }, (): Fault => ({ kind: 'status', status: 502 })));
    await expect(collectBars(s.historicalBars(jan3))).rejects.toMatchObject({
      code: 'DATA_UNAVAILABLE',
      message: expect.stringMatching(/^Binance did not serve BTC\/USDT 1m candles from 2022-01-03T00:00:00.000Z: gave up after 3 attempts: binance .*502/),
      hint: expect.stringContaining('retries.max'),
    });
  });

  it('names the nearest market for an unknown symbol and accepts none in its exchange-id form silently', async () => {
    const { s } = await source();
    await expect(collectBars(s.historicalBars({ ...jan3, symbol: 'BTCUSDT' }))).rejects.toMatchObject({ code: 'DATA_UNAVAILABLE', message: 'Binance lists no spot market "BTCUSDT" (did you mean BTC/USDT?)', path: 'symbol' });
    expect(await s.symbols!()).toEqual(['BTC/USDT', 'ETH/USDT']);
  });

  it("says how each market trades, from Binance's LOT_SIZE, PRICE_FILTER and MIN_NOTIONAL filters", async () => {
    const { s } = await source();
    expect(await s.instruments!(['BTC/USDT', 'ETH/USDT', 'NOPE/USDT'])).toEqual([
      { symbol: 'BTC/USDT', lotSize: 0.00001, tickSize: 0.01, minQuantity: 0.00001, maxQuantity: 9000, minNotional: 10 },
      { symbol: 'ETH/USDT', lotSize: 0.0001, tickSize: 0.01, minQuantity: 0.0001, maxQuantity: 9000, minNotional: 10 },
    ]);
  });

  it('fails with a clear error when the exchange cannot be reached at all', async () => {
    const { s } = await source({ urls: { rest: 'http://127.0.0.1:9' }, retries: { max: 1, baseDelayMs: 1, maxDelayMs: 1 } }).catch((error: unknown) => ({ s: undefined, error }));
    expect(s).toBeUndefined();
    const ctx = createTestContext(binanceSourceConfig.parse({ urls: { rest: 'http://127.0.0.1:9' }, retries: { max: 1, baseDelayMs: 1, maxDelayMs: 1 } }));
    const failing = await binanceSource.init(ctx);
    await expect(failing.start!()).rejects.toMatchObject({ code: 'DATA_UNAVAILABLE', message: expect.stringMatching(/^Binance did not serve its list of markets: gave up after 2 attempts/) });
  });

  it('reads the top of book from the recorded ticker', async () => {
    const { s } = await source();
    expect(await s.quote!('BTC/USDT')).toEqual({ symbol: 'BTC/USDT', time: 1710328245391, bid: 73369.83, ask: 73369.84, bidSize: 6.27086, askSize: 0.03321, last: 73369.84 });
  });
});
