import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bar, HistoricalBarsRequest } from '@trading-orchestrator/plugin-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HistoryCache, type CacheUse } from './history-cache.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2024, 4, 20, 12);
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'to-history-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A daily series from 2023-12-01, served in pages of 10, counting what it is asked. */
function source() {
  const asked: [string, string][] = [];
  const fetch = async function* (request: HistoricalBarsRequest): AsyncGenerator<readonly Bar[]> {
    asked.push([new Date(request.start).toISOString().slice(0, 10), new Date(request.end).toISOString().slice(0, 10)]);
    let page: Bar[] = [];
    for (let t = Math.max(request.start, Date.UTC(2023, 11, 1)); t < request.end && t <= NOW; t += DAY) {
      const close = 100 + ((t / DAY) % 17);
      page.push({ symbol: 'SPY', timeframe: '1d', time: t, open: close, high: close + 1, low: close - 1, close, volume: 10 });
      if (page.length === 10) {
        yield page;
        page = [];
      }
    }
    if (page.length > 0) yield page;
  };
  return { asked, fetch };
}

async function read(cache: HistoryCache, fetch: ReturnType<typeof source>['fetch'], start: number, end: number, config: object = { venue: 'x' }) {
  const use: CacheUse = { fromCache: 0, fetched: 0 };
  const bars: Bar[] = [];
  for await (const page of cache.bars('data-x', config, { symbol: 'SPY', timeframe: '1d', start, end }, fetch, use)) bars.push(...page);
  return { bars, use };
}

describe('the history cache', () => {
  it('fetches past months once, whole, and serves them from disk after; the current month is asked every time', async () => {
    const cache = new HistoryCache(dir, () => NOW);
    const first = source();
    const start = Date.UTC(2024, 0, 10);
    const end = Date.UTC(2024, 4, 18);
    const a = await read(cache, first.fetch, start, end);
    // January to April in one request of whole months, then May (still forming) as asked.
    expect(first.asked).toEqual([['2024-01-01', '2024-05-01'], ['2024-05-01', '2024-05-18']]);
    expect(a.use).toEqual({ fromCache: 0, fetched: 5 });
    expect(a.bars.map((b) => b.time)).toEqual(Array.from({ length: (end - start) / DAY }, (_, i) => start + i * DAY));
    const second = source();
    const b = await read(cache, second.fetch, start, end);
    expect(second.asked).toEqual([['2024-05-01', '2024-05-18']]);
    expect(b.use).toEqual({ fromCache: 4, fetched: 1 });
    expect(b.bars).toEqual(a.bars);
  });

  it('fills only the months it lacks, and keeps series of another config apart', async () => {
    const cache = new HistoryCache(dir, () => NOW);
    await read(cache, source().fetch, Date.UTC(2024, 1, 1), Date.UTC(2024, 2, 1));
    const wider = source();
    const { bars } = await read(cache, wider.fetch, Date.UTC(2024, 0, 1), Date.UTC(2024, 3, 1));
    expect(wider.asked).toEqual([['2024-01-01', '2024-02-01'], ['2024-03-01', '2024-04-01']]);
    expect(bars).toHaveLength(31 + 29 + 31);
    const other = source();
    await read(cache, other.fetch, Date.UTC(2024, 1, 1), Date.UTC(2024, 2, 1), { venue: 'y' });
    expect(other.asked).toHaveLength(1);
  });

  it('a damaged month file is fetched again and rewritten', async () => {
    const cache = new HistoryCache(dir, () => NOW);
    const { bars } = await read(cache, source().fetch, Date.UTC(2024, 1, 1), Date.UTC(2024, 2, 1));
    const folder = (function find(d: string): string {
      const entries = readdirSync(d, { withFileTypes: true });
      const file = entries.find((e) => e.isFile());
      return file === undefined ? find(join(d, entries[0]!.name)) : d;
    })(dir);
    writeFileSync(join(folder, '2024-02.json'), '{"version":1,"rows":[[1,2,');
    const again = source();
    const reread = await read(cache, again.fetch, Date.UTC(2024, 1, 1), Date.UTC(2024, 2, 1));
    expect(again.asked).toHaveLength(1);
    expect(reread.bars).toEqual(bars);
    const third = source();
    await read(cache, third.fetch, Date.UTC(2024, 1, 1), Date.UTC(2024, 2, 1));
    expect(third.asked).toHaveLength(0);
  });

  it('passes bars on as the plugin serves them, before the month they belong to is complete', async () => {
    const cache = new HistoryCache(dir, () => NOW);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const slow = async function* (request: HistoricalBarsRequest): AsyncGenerator<readonly Bar[]> {
      const bar = (t: number): Bar => ({ symbol: 'SPY', timeframe: '1d', time: t, open: 10, high: 11, low: 9, close: 10, volume: 1 });
      yield [bar(request.start)];
      await held;
      yield [bar(request.start + DAY)];
    };
    const pages = cache.bars('data-x', {}, { symbol: 'SPY', timeframe: '1d', start: Date.UTC(2024, 1, 1), end: Date.UTC(2024, 2, 1) }, slow)[Symbol.asyncIterator]();
    expect((await pages.next()).value).toHaveLength(1);
    release();
    expect((await pages.next()).value).toHaveLength(1);
    expect((await pages.next()).done).toBe(true);
  });
});

