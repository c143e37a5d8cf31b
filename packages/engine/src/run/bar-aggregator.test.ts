import { barCloseTime, barOpenTime, type Bar, type Timeframe } from '@trading-orchestrator/plugin-api';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BarAggregator } from './bar-aggregator.js';

const HOUR = 3_600_000;
const bar = (symbol: string, time: number, open: number, high: number, low: number, close: number, volume = 1): Bar => ({ symbol, timeframe: '1h', time, open, high, low, close, volume });

/** Runs a stream through the aggregator as the engine does: `due` before each bar, `add` after it. */
function stream(timeframes: Timeframe[], bars: readonly Bar[]): { after: number; bar: Bar }[] {
  const aggregator = new BarAggregator(timeframes);
  const out: { after: number; bar: Bar }[] = [];
  bars.forEach((b, i) => {
    for (const d of aggregator.due(b.time) ?? []) out.push({ after: i - 1, bar: d });
    for (const d of aggregator.add(b) ?? []) out.push({ after: i, bar: d });
  });
  return out;
}

describe('BarAggregator', () => {
  const t0 = Date.parse('2024-01-01T00:00:00Z');

  it('hands out a four-hour bar after the hourly bar that closes it, with its open, high, low, close and volume', () => {
    const hours = [bar('A', t0, 10, 12, 9, 11, 1), bar('A', t0 + HOUR, 11, 15, 10, 14, 2), bar('A', t0 + 2 * HOUR, 14, 14, 8, 9, 3), bar('A', t0 + 3 * HOUR, 9, 10, 9, 10, 4), bar('A', t0 + 4 * HOUR, 10, 11, 10, 11, 5)];
    expect(stream(['4h'], hours)).toEqual([{ after: 3, bar: { symbol: 'A', timeframe: '4h', time: t0, open: 10, high: 15, low: 8, close: 10, volume: 10 } }]);
  });

  it('hands out a period cut short by a gap before the first bar after it', () => {
    // 02:00 and 03:00 are missing: the 00:00-04:00 bar is over when the 05:00 bar opens.
    const hours = [bar('A', t0, 10, 12, 9, 11), bar('A', t0 + HOUR, 11, 13, 10, 12), bar('A', t0 + 5 * HOUR, 12, 13, 11, 12)];
    const out = stream(['4h'], hours);
    expect(out).toEqual([{ after: 1, bar: { symbol: 'A', timeframe: '4h', time: t0, open: 10, high: 13, low: 9, close: 12, volume: 2 } }]);
  });

  it('ends a symbol\'s period when a later bar of another symbol shows the time has passed', () => {
    // A has no bar at 02:00 or 03:00; B's bar of 04:00 shows A's 00:00-04:00 period is over. B's first period was
    // entered at 02:00, midway: left out.
    const bars = [bar('A', t0, 1, 2, 1, 2), bar('A', t0 + HOUR, 2, 3, 2, 3), bar('B', t0 + 2 * HOUR, 5, 5, 5, 5), bar('B', t0 + 3 * HOUR, 5, 5, 5, 5), bar('B', t0 + 4 * HOUR, 5, 5, 5, 5)];
    expect(stream(['4h'], bars)).toEqual([{ after: 3, bar: { symbol: 'A', timeframe: '4h', time: t0, open: 1, high: 3, low: 1, close: 3, volume: 2 } }]);
  });

  it('leaves out a first period the stream entered midway, and keeps the later ones', () => {
    const hours = [13, 14, 15, 16, 17, 18, 19].map((h) => bar('A', t0 + h * HOUR, h, h, h, h));
    expect(stream(['4h'], hours).map((o) => new Date(o.bar.time).toISOString())).toEqual(['2024-01-01T16:00:00.000Z']);
  });

  it('builds a session\'s day from its hours after the first whole day, and hands it out when the next day opens', () => {
    const session = [0, 1].flatMap((d) => [14.5, 15.5, 16.5, 17.5, 18.5, 19.5, 20.5].map((h) => bar('SPY', t0 + d * 24 * HOUR + h * HOUR, 100 + d, 101 + d, 99 + d, 100.5 + d)));
    // The first day was entered at 14:30, not at its open: left out. The second is whole as far as the session goes.
    const out = stream(['1d'], [...session, bar('SPY', t0 + 2 * 24 * HOUR + 14.5 * HOUR, 103, 103, 103, 103)]);
    expect(out).toEqual([{ after: 13, bar: { symbol: 'SPY', timeframe: '1d', time: t0 + 24 * HOUR, open: 101, high: 102, low: 100, close: 101.5, volume: 7 } }]);
  });

  it('builds from bars off their timeframe\'s grid (hourly equity bars open at :30) by the period they open in', () => {
    const hours = [8.5, 9.5, 10.5, 11.5, 12.5, 13.5, 14.5, 15.5, 16.5].map((h) => bar('A', t0 + h * HOUR, h, h + 0.25, h - 0.25, h + 0.5));
    // 08:00-12:00 was entered at 08:30: left out. 12:00-16:00 holds the bars opening 12:30 to 15:30, and is handed
    // out after the 15:30 one.
    expect(stream(['4h'], hours)).toEqual([{ after: 7, bar: { symbol: 'A', timeframe: '4h', time: t0 + 12 * HOUR, open: 12.5, high: 15.75, low: 12.25, close: 16, volume: 4 } }]);
  });

  it('agrees with grouping the whole history by period, and hands each bar out no earlier than its period ends', () => {
    const timeframes: Timeframe[] = ['4h', '1d'];
    const history = fc.array(fc.record({ gap: fc.integer({ min: 1, max: 7 }), open: fc.integer({ min: 1, max: 1_000 }), up: fc.integer({ min: 0, max: 50 }), down: fc.integer({ min: 0, max: 50 }), close: fc.integer({ min: 1, max: 1_000 }) }), { minLength: 1, maxLength: 300 });
    fc.assert(
      fc.property(history, fc.integer({ min: 0, max: 23 }), (steps, startHour) => {
        let time = t0 + startHour * HOUR;
        const bars = steps.map((s) => {
          time += s.gap * HOUR;
          return bar('A', time, s.open, Math.max(s.open, s.close) + s.up, Math.min(s.open, s.close) - s.down, s.close, s.gap);
        });
        const out = stream(timeframes, bars);
        for (const timeframe of timeframes) {
          // Every period the history covers, except its first (maybe entered midway) and its last (maybe not over).
          const groups = new Map<number, Bar[]>();
          for (const b of bars) groups.set(barOpenTime(b.time, timeframe), [...(groups.get(barOpenTime(b.time, timeframe)) ?? []), b]);
          const periods = [...groups.entries()];
          const expected = periods
            .filter(([start], i) => (i > 0 || bars[0]!.time === start) && (i < periods.length - 1 || bars.at(-1)!.time + HOUR >= barCloseTime(start, timeframe)))
            .map(([start, group]) => ({ symbol: 'A', timeframe, time: start, open: group[0]!.open, high: Math.max(...group.map((g) => g.high)), low: Math.min(...group.map((g) => g.low)), close: group.at(-1)!.close, volume: group.reduce((s, g) => s + g.volume, 0) }));
          const built = out.filter((o) => o.bar.timeframe === timeframe);
          expect(built.map((o) => o.bar)).toEqual(expected);
          for (const o of built) {
            const end = barCloseTime(o.bar.time, timeframe);
            // Handed out after a bar that closed at or after the end, or before a bar that opened at or after it; and not later.
            const last = bars[o.after]!;
            const next = bars[o.after + 1];
            expect(last.time + HOUR >= end || (next !== undefined && next.time >= end)).toBe(true);
            expect(last.time).toBeLessThan(end);
          }
        }
      }),
    );
  });
});
