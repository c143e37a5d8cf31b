import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Bar, Timeframe } from '@trading-orchestrator/plugin-api';
import { SeriesMap } from './series-map.js';

const bar = (symbol: string, timeframe: Timeframe): Bar => ({ symbol, timeframe, time: 0, open: 1, high: 1, low: 1, close: 1, volume: 0 });

describe('SeriesMap', () => {
  it('keeps one state per symbol and timeframe, made on the series\' first bar', () => {
    const made: string[] = [];
    const series = new SeriesMap((symbol, timeframe) => {
      made.push(`${symbol} ${timeframe}`);
      return { closes: 0 };
    });
    for (const b of [bar('A', '1h'), bar('A', '1h'), bar('A', '4h'), bar('B', '1h'), bar('A', '1h'), bar('A', '4h')]) series.of(b).closes++;
    expect(made).toEqual(['A 1h', 'A 4h', 'B 1h']);
    expect(series.size).toBe(3);
    expect(series.get('A', '1h')).toEqual({ closes: 3 });
    expect(series.get('A', '4h')).toEqual({ closes: 2 });
    expect(series.get('B', '4h')).toBeUndefined();
    expect([...series.ofSymbol('A')!.keys()]).toEqual(['1h', '4h']);
    expect(series.ofSymbol('C')).toBeUndefined();
  });

  it('answers every series with its own state whatever the order of bars: in turn, repeated, skipped, new ones late', () => {
    const keys = [bar('A', '1m'), bar('B', '1m'), bar('C', '1m'), bar('A', '5m'), bar('D', '1m')];
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: keys.length - 1 })), { maxLength: 300 }), (picks) => {
        const series = new SeriesMap((symbol, timeframe) => ({ key: `${symbol} ${timeframe}` }));
        // -1: the next series in turn (the common interleaved case); otherwise a series named outright.
        let turn = 0;
        for (const pick of picks) {
          const b = keys[pick === -1 ? turn++ % 3 : pick]!;
          expect(series.of(b).key).toBe(`${b.symbol} ${b.timeframe}`);
        }
      }),
    );
  });
});
