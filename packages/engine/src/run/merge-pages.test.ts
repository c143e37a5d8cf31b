import fc from 'fast-check';
import type { Bar } from '@trading-orchestrator/plugin-api';
import { describe, expect, it } from 'vitest';
import { mergeBars } from './merge-bars.js';
import { mergePages } from './merge-pages.js';

const bar = (symbol: string, time: number): Bar => ({ symbol, timeframe: '1h', time, open: 1, high: 1, low: 1, close: 1, volume: 1 });

/** A series handed over in pages of the given sizes (0 makes an empty page), the rest in one last page. */
async function* paged(bars: readonly Bar[], sizes: readonly number[]): AsyncGenerator<readonly Bar[]> {
  let at = 0;
  for (const size of sizes) {
    yield bars.slice(at, at + size);
    at += size;
  }
  if (at < bars.length) yield bars.slice(at);
}

const collect = async (batches: AsyncIterable<readonly Bar[]>) => {
  const out: Bar[][] = [];
  for await (const batch of batches) out.push([...batch]);
  return out;
};

describe('mergePages', () => {
  it('gives mergeBars’ order however the series are split into pages', async () => {
    const series = fc.array(fc.tuple(fc.uniqueArray(fc.integer({ min: 0, max: 300 }), { maxLength: 50 }), fc.array(fc.integer({ min: 0, max: 12 }), { maxLength: 8 })), { maxLength: 5 });
    await fc.assert(
      fc.asyncProperty(series, async (spec) => {
        const lists = spec.map(([times], s) => [...times].sort((a, b) => a - b).map((t) => bar(`S${s}`, t)));
        const batches = await collect(mergePages(lists.map((list, s) => paged(list, spec[s]![1]))));
        expect(batches.flat()).toEqual([...mergeBars(lists)]);
        expect(batches.every((b) => b.length > 0)).toBe(true);
      }),
    );
  });

  it('holds no more than the pages in hand: a batch never outruns the page of any series still running', async () => {
    // Two series of a day of minutes in pages of 60: no batch is longer than the two pages it came from.
    const day = (symbol: string) => Array.from({ length: 1_440 }, (_, i) => bar(symbol, i * 60_000));
    const batches = await collect(mergePages([paged(day('A'), Array(24).fill(60)), paged(day('B'), Array(24).fill(60))]));
    expect(batches.length).toBe(24);
    expect(Math.max(...batches.map((b) => b.length))).toBe(120);
  });

  it('lets every source go when the consumer stops early', async () => {
    const released: string[] = [];
    async function* source(name: string) {
      try {
        for (let i = 0; ; i++) yield [bar(name, i)];
      } finally {
        released.push(name);
      }
    }
    for await (const batch of mergePages([source('A'), source('B')])) if (batch[0]!.time >= 3) break;
    expect(released.sort()).toEqual(['A', 'B']);
  });
});
