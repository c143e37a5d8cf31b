import { collectBars, createTestContext } from '@trading-orchestrator/plugin-testkit';
import { describe, expect, it } from 'vitest';
import { createYahooSource, yahooSourceConfig } from '../src/index.js';
import { replayYahoo, type Fault } from './recorded-yahoo.js';

function source(config: object = {}) {
  const replay = replayYahoo();
  const ctx = createTestContext(yahooSourceConfig.parse({ minRequestIntervalMs: 0, retries: { baseDelayMs: 10, maxDelayMs: 50 }, ...config }));
  return { replay, ctx, start: () => createYahooSource({ fetch: replay.fetch }).init(ctx) };
}

const aaplDaily = { symbol: 'AAPL', timeframe: '1d', start: Date.UTC(2020, 7, 31), end: Date.UTC(2020, 10, 7) } as const;
const aaplMinutes = { symbol: 'AAPL', timeframe: '1m', start: Date.UTC(2024, 9, 2), end: Date.UTC(2024, 9, 4) } as const;

describe('Yahoo chart history', () => {
  it("gives Yahoo's split-adjusted bars and notes the split", async () => {
    const { ctx, start } = source();
    const { bars } = await collectBars((await start()).historicalBars(aaplDaily));
    expect(bars).toHaveLength(49);
    // 2020-08-31 is AAPL's first day after its 4:1 split; Yahoo's prices are on the post-split scale throughout.
    expect(bars[0]).toMatchObject({ symbol: 'AAPL', timeframe: '1d', time: Date.UTC(2020, 7, 31, 13, 30) });
    expect(bars[0]!.close).toBeCloseTo(129.04, 2);
    expect(ctx.logs.map((l) => l.message)).toContain("AAPL: 4:1 split on 2020-08-31; Yahoo's prices before it are already divided by it");
  });

  it('scales bars by adjusted close over close when dividends are adjusted too', async () => {
    const plain = (await collectBars((await source().start()).historicalBars(aaplDaily))).bars;
    const adjusted = (await collectBars((await source({ adjust: 'splits-and-dividends' }).start()).historicalBars(aaplDaily))).bars;
    // Yahoo's adjusted close carries every dividend up to the day it was recorded, so the factor is below 1
    // throughout, and steps up on 2020-11-06, AAPL's ex-dividend day (0.205), by 1 / (1 - 0.205 / the close before).
    const factors = adjusted.map((b, i) => b.close / plain[i]!.close);
    const exDay = plain.findIndex((b) => b.time >= Date.UTC(2020, 10, 6));
    expect(factors[exDay]! / factors[exDay - 1]!).toBeCloseTo(1 / (1 - 0.205 / plain[exDay - 1]!.close), 5);
    for (let i = 1; i < factors.length; i++) if (i !== exDay) expect(factors[i]! / factors[i - 1]!).toBeCloseTo(1, 5);
    adjusted.forEach((b, i) => expect(b.open / plain[i]!.open).toBeCloseTo(factors[i]!, 9));
  });

  it('drops rows without prices and says how many', async () => {
    const { ctx, start } = source();
    const { bars } = await collectBars((await start()).historicalBars(aaplMinutes));
    expect(bars).toHaveLength(390);
    expect(ctx.logs.map((l) => l.message)).toContain('AAPL 1m: 1 rows without prices skipped (Yahoo sends them for intervals without trades)');
  });

  it('gives no bars, and no error, for a range with no trading', async () => {
    const { start } = source();
    const weekend = { symbol: 'AAPL', timeframe: '1m', start: Date.UTC(2025, 1, 1), end: Date.UTC(2025, 1, 2) } as const;
    expect(await collectBars((await start()).historicalBars(weekend))).toEqual({ bars: [], pages: 0 });
  });

  it("maps our timeframes to Yahoo's intervals and refuses the rest with the list", async () => {
    const { replay, start } = source();
    const s = await start();
    const { bars } = await collectBars(s.historicalBars({ symbol: 'TSLA', timeframe: '30m', start: Date.UTC(2021, 10, 22), end: Date.UTC(2021, 10, 23) }));
    expect(bars).toHaveLength(30);
    expect(new URL(replay.calls.at(-1)!).searchParams.get('interval')).toBe('30m');
    await collectBars(s.historicalBars({ symbol: 'TSLA', timeframe: '1h', start: Date.UTC(2021, 10, 22), end: Date.UTC(2021, 10, 23) })).catch(() => undefined);
    expect(new URL(replay.calls.at(-1)!).searchParams.get('interval')).toBe('60m');
    await expect(collectBars(s.historicalBars({ symbol: 'TSLA', timeframe: '3m', start: 0, end: 1 }))).rejects.toMatchObject({ code: 'DATA_UNAVAILABLE', path: 'timeframe', hint: 'use one of 1m, 5m, 15m, 30m, 1h, 1d, 1w, 1M' });
  });

  it('asks for long intraday ranges in windows Yahoo accepts', async () => {
    const { replay, start } = source();
    await collectBars((await start()).historicalBars({ symbol: 'AAPL', timeframe: '1m', start: Date.UTC(2024, 8, 20), end: Date.UTC(2024, 9, 10) }));
    const spans = replay.calls.filter((c) => c.includes('/v8/finance/chart/')).map((c) => Number(new URL(c).searchParams.get('period2')) - Number(new URL(c).searchParams.get('period1')));
    expect(spans).toEqual([7 * 86_400, 7 * 86_400, 6 * 86_400]);
  });

  const recoverable: [string, Fault, RegExp][] = [
    ['HTTP 429 with Retry-After', { status: 429, retryAfter: '1' }, /: HTTP 429; retry 1 of 4 in 1000 ms$/],
    ['HTTP 503', { status: 503 }, /: HTTP 503; retry 1 of 4 in \d+ ms$/],
    ['malformed JSON', 'malformed-json', /: unreadable JSON body \(\d+ bytes\); retry 1 of 4/],
    ['a truncated body', 'truncated', /: unreadable JSON body \(\d+ bytes\); retry 1 of 4/],
    ['a dropped connection', 'network-error', /: fetch failed \(ECONNRESET\); retry 1 of 4/],
    ['a server that stalls', 'stall', /: no answer within 300 ms; retry 1 of 4/],
  ];
  for (const [name, fault, logged] of recoverable) {
    it(`retries after ${name} and serves every bar`, async () => {
      const { replay, ctx, start } = source({ requestTimeoutMs: 300 });
      replay.fail('/v8/finance/chart/', fault);
      const { bars } = await collectBars((await start()).historicalBars(aaplDaily));
      expect(bars).toHaveLength(49);
      expect(ctx.logs.filter((l) => l.level === 'warn' && l.message.startsWith('Yahoo ')).map((l) => l.message)).toEqual([expect.stringMatching(new RegExp(`^Yahoo query\\d.finance.yahoo.com/v8/finance/chart/AAPL${logged.source}`))]);
    });
  }

  it('gives up after the configured retries with an error that names the request and the fix', async () => {
    const { replay, start } = source({ retries: { max: 1, baseDelayMs: 1, maxDelayMs: 1 } });
    replay.fail('/v8/finance/chart/', { status: 502 }, { status: 502 });
    await expect(collectBars((await start()).historicalBars(aaplDaily))).rejects.toMatchObject({
      code: 'DATA_UNAVAILABLE',
      message: 'Yahoo did not serve AAPL 1d bars from 2020-08-31T00:00:00.000Z: gave up after 2 attempts: HTTP 502',
      hint: expect.stringContaining('minRequestIntervalMs'),
    });
  });
});

describe('Yahoo quotes', () => {
  it('reads bid, ask and last from the recorded quote', async () => {
    const { start } = source();
    expect(await (await start()).quote!('AAPL')).toEqual({ symbol: 'AAPL', time: 1739566800000, bid: 244.44, ask: 253.37, bidSize: 2, askSize: 1, last: 244.6 });
  });

  it('polls for live quotes, all symbols in one request, until the stream is aborted', async () => {
    const { replay, start } = source({ pollIntervalMs: 250 });
    const s = await start();
    const abort = new AbortController();
    const quotes = s.liveQuotes!({ symbols: ['AAPL'], signal: abort.signal })[Symbol.asyncIterator]();
    expect((await quotes.next()).value).toMatchObject({ symbol: 'AAPL', bid: 244.44 });
    // The recorded quote never changes, so nothing more is given while polling goes on.
    const next = quotes.next();
    await expect.poll(() => replay.calls.filter((c) => c.includes('/v7/finance/quote')).length, { timeout: 20_000 }).toBeGreaterThanOrEqual(3);
    abort.abort();
    expect(await next).toEqual({ done: true, value: undefined });
  });
});

describe('Yahoo live bars, by polling', () => {
  it('gives each minute once as closed after its period and the close delay, the forming one when it changes, until aborted', async () => {
    const { replay, ctx, start } = source({ pollIntervalMs: 250, barCloseDelayMs: 15_000 });
    const s = await start();
    const minute = (m: number) => Date.UTC(2024, 9, 2, 14, m);
    const history = (await collectBars(s.historicalBars({ symbol: 'AAPL', timeframe: '1m', start: minute(0), end: minute(10) }))).bars;
    ctx.now = minute(5) - 1_000;
    const abort = new AbortController();
    const updates = s.liveBars!({ symbols: ['AAPL'], timeframe: '1m', signal: abort.signal })[Symbol.asyncIterator]();
    const take = async (n: number) => {
      const got: { time: number; closed: boolean; close: number }[] = [];
      for (let i = 0; i < n; i++) {
        const { value } = await updates.next();
        got.push({ time: value!.bar.time, closed: value!.closed, close: value!.bar.close });
      }
      return got;
    };
    const closeAt = (time: number) => history.find((b) => b.time === time)!.close;
    // At 14:04:59 the bars of 14:02 and 14:03 have ended more than 15 s ago; 14:04's is still forming.
    expect(await take(3)).toEqual([
      { time: minute(2), closed: true, close: closeAt(minute(2)) },
      { time: minute(3), closed: true, close: closeAt(minute(3)) },
      { time: minute(4), closed: false, close: closeAt(minute(4)) },
    ]);
    ctx.now = minute(6) - 1_000;
    // Closed bars already given are not given again.
    expect(await take(2)).toEqual([
      { time: minute(4), closed: true, close: closeAt(minute(4)) },
      { time: minute(5), closed: false, close: closeAt(minute(5)) },
    ]);
    expect(replay.calls.filter((c) => c.includes('/v8/finance/chart/AAPL')).length).toBeGreaterThanOrEqual(2);
    const next = updates.next();
    abort.abort();
    expect(await next).toEqual({ done: true, value: undefined });
  });

  it('refuses a timeframe Yahoo does not serve, naming the ones it does', async () => {
    const s = await source().start();
    const updates = s.liveBars!({ symbols: ['AAPL'], timeframe: '4h', signal: new AbortController().signal })[Symbol.asyncIterator]();
    await expect(updates.next()).rejects.toThrow(/Yahoo has no 4h bars/);
  });
});

