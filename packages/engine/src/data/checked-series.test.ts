import type { Bar } from '@trading-orchestrator/plugin-api';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkedSeries, type RefusedBar } from './checked-series.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2020, 0, 1);
const bar = (day: number, over: Partial<Bar> = {}): Bar => ({ symbol: 'SPY', timeframe: '1d', time: T0 + day * DAY, open: 10, high: 11, low: 9, close: 10.5, volume: 100, ...over });

async function collect(pages: (readonly Bar[])[], extra: { start?: number; end?: number; now?: () => number; stallMs?: number } = {}) {
  const refused: RefusedBar[] = [];
  async function* source() {
    yield* pages;
  }
  const out: Bar[] = [];
  for await (const page of checkedSeries(source(), { pluginId: 'data-x', symbol: 'SPY', timeframe: '1d', onRefused: (r) => refused.push(r), ...extra })) out.push(...page);
  return { out, refused };
}

describe('the host checks what a data plugin gives it', () => {
  it('lets good bars through as they came and refuses every bad one, naming the plugin and why', async () => {
    const { out, refused } = await collect(
      [
        [bar(0), bar(1, { close: Number.NaN }), bar(2, { high: 8 }), bar(3, { volume: -1 })],
        [bar(4, { symbol: 'QQQ' }), bar(5), bar(5), bar(4), bar(36_500)],
        [bar(6)],
      ],
      { start: T0, end: T0 + 100 * DAY },
    );
    expect(out.map((b) => (b.time - T0) / DAY)).toEqual([0, 5, 6]);
    expect(refused.map((r) => [r.pluginId, r.code, (r.time! - T0) / DAY])).toEqual([
      ['data-x', 'BAD_BAR', 1],
      ['data-x', 'BAD_BAR', 2],
      ['data-x', 'BAD_BAR', 3],
      ['data-x', 'WRONG_SERIES', 4],
      ['data-x', 'DUPLICATE', 5],
      ['data-x', 'OUT_OF_ORDER', 4],
      ['data-x', 'OUT_OF_RANGE', 36_500],
    ]);
    expect(refused[0]!.message).toBe('close must be a positive finite price, got NaN');
    expect(refused[6]!.message).toMatch(/^a bar of 2119-\d\d-\d\dT00:00:00\.000Z lies outside the span asked for/);
  });

  it("refuses a live bar that opens more than a day after the host's clock, and lets a skewed clock's bar through", async () => {
    const { out, refused } = await collect([[bar(0), bar(2), bar(3)]], { now: () => T0 + DAY / 2 });
    expect(out.flat().map((b) => b.time)).toEqual([T0]);
    expect(refused.map((r) => r.code)).toEqual(['FROM_THE_FUTURE', 'FROM_THE_FUTURE']);
    const skewed = await collect([[bar(0), bar(1)]], { now: () => T0 + DAY / 2 });
    expect(skewed.refused).toEqual([]);
  });

  it('names the data plugin when its source throws, and times out a source that sends nothing', async () => {
    async function* throwing(): AsyncGenerator<readonly Bar[]> {
      yield [bar(0)];
      throw new TypeError("Cannot read properties of undefined (reading 'close')");
    }
    const seen: Bar[] = [];
    await expect(
      (async () => {
        for await (const page of checkedSeries(throwing(), { pluginId: 'data-x', symbol: 'SPY', timeframe: '1d', onRefused: () => undefined })) seen.push(...page);
      })(),
    ).rejects.toMatchObject({ code: 'DATA_UNAVAILABLE', pluginId: 'data-x', message: `data plugin "data-x" failed while reading SPY: Cannot read properties of undefined (reading 'close')` });
    expect(seen).toHaveLength(1);
    const silent = { [Symbol.asyncIterator]: () => ({ next: () => new Promise<IteratorResult<readonly Bar[]>>(() => undefined) }) };
    await expect(
      (async () => {
        for await (const _ of checkedSeries(silent, { pluginId: 'data-x', symbol: 'SPY', timeframe: '1d', stallMs: 50, onRefused: () => undefined })) void _;
      })(),
    ).rejects.toMatchObject({ code: 'DATA_UNAVAILABLE', pluginId: 'data-x', message: 'data plugin "data-x" sent no SPY 1d bars for 0.05 s' });
  });

  it('whatever the pages hold, what passes is sound, of the series, and strictly ascending; every bar is passed or refused', async () => {
    const anyBar = fc.record({
      day: fc.integer({ min: -5, max: 40 }),
      close: fc.oneof(fc.double({ min: 9, max: 11, noNaN: true }), fc.constant(Number.NaN), fc.constant(-1), fc.constant(Number.POSITIVE_INFINITY)),
      symbol: fc.constantFrom('SPY', 'SPY', 'SPY', 'QQQ'),
      volume: fc.oneof(fc.nat(), fc.constant(-5)),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(anyBar, { maxLength: 8 }), { maxLength: 6 }), async (pages) => {
        const given = pages.map((p) => p.map((b) => bar(b.day, { close: b.close, symbol: b.symbol, volume: b.volume })));
        const { out, refused } = await collect(given, { start: T0, end: T0 + 30 * DAY });
        for (let i = 1; i < out.length; i++) expect(out[i]!.time).toBeGreaterThan(out[i - 1]!.time);
        for (const b of out) {
          expect(b.symbol).toBe('SPY');
          expect(Number.isFinite(b.close) && b.close > 0 && b.volume >= 0).toBe(true);
          expect(b.time >= T0 && b.time < T0 + 30 * DAY).toBe(true);
        }
        expect(out.length + refused.length).toBe(given.flat().length);
      }),
      { numRuns: 200 },
    );
  });
});
