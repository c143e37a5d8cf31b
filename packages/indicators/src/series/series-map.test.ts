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
});
