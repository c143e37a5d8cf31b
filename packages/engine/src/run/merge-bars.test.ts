import fc from 'fast-check';
import type { Bar } from '@trading-orchestrator/plugin-api';
import { describe, expect, it } from 'vitest';
import { mergeBars } from './merge-bars.js';

const bar = (symbol: string, time: number): Bar => ({ symbol, timeframe: '1h', time, open: 1, high: 1, low: 1, close: 1, volume: 1 });

describe('mergeBars', () => {
  it('interleaves series in time order, ties in series order, losing nothing', () => {
    fc.assert(
      fc.property(fc.array(fc.uniqueArray(fc.integer({ min: 0, max: 500 }), { maxLength: 60 }), { maxLength: 5 }), (times) => {
        const series = times.map((ts, s) => [...ts].sort((a, b) => a - b).map((t) => bar(`S${s}`, t)));
        const merged = [...mergeBars(series)];
        const expected = series.flatMap((list, s) => list.map((b) => ({ b, s }))).sort((x, y) => x.b.time - y.b.time || x.s - y.s).map((x) => x.b);
        expect(merged).toEqual(expected);
      }),
    );
  });
});
