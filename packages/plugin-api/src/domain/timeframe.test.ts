import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TIMEFRAMES, barCloseTime, barOpenTime, isWholeMultiple, timeframeToMs } from './timeframe.js';

const at = (iso: string) => Date.parse(iso);

describe('barOpenTime and barCloseTime', () => {
  it('put fixed-length bars on multiples of their length from the epoch', () => {
    expect(barOpenTime(at('2024-03-05T13:59:59.999Z'), '4h')).toBe(at('2024-03-05T12:00:00Z'));
    expect(barCloseTime(at('2024-03-05T13:59:59.999Z'), '4h')).toBe(at('2024-03-05T16:00:00Z'));
    expect(barOpenTime(at('2024-03-05T16:00:00Z'), '4h')).toBe(at('2024-03-05T16:00:00Z'));
    expect(barOpenTime(at('2024-03-05T14:30:00Z'), '1d')).toBe(at('2024-03-05T00:00:00Z'));
  });

  it('start weeks on Monday and months on the first, however long the month', () => {
    expect(barOpenTime(at('2024-03-07T10:00:00Z'), '1w')).toBe(at('2024-03-04T00:00:00Z'));
    expect(barCloseTime(at('2024-03-10T23:59:00Z'), '1w')).toBe(at('2024-03-11T00:00:00Z'));
    expect(barOpenTime(at('2024-02-29T23:00:00Z'), '1M')).toBe(at('2024-02-01T00:00:00Z'));
    expect(barCloseTime(at('2024-02-10T00:00:00Z'), '1M')).toBe(at('2024-03-01T00:00:00Z'));
    expect(barCloseTime(at('2023-12-31T00:00:00Z'), '1M')).toBe(at('2024-01-01T00:00:00Z'));
  });

  it('hold every instant in [open, close), with the close the next bar\'s open', () => {
    const instant = fc.integer({ min: at('1990-01-01T00:00:00Z'), max: at('2090-01-01T00:00:00Z') });
    fc.assert(
      fc.property(instant, fc.constantFrom(...TIMEFRAMES), (time, timeframe) => {
        const open = barOpenTime(time, timeframe);
        const close = barCloseTime(time, timeframe);
        expect(open).toBeLessThanOrEqual(time);
        expect(close).toBeGreaterThan(time);
        expect(barOpenTime(close, timeframe)).toBe(close);
        if (timeframe !== '1M') expect(close - open).toBe(timeframeToMs(timeframe));
      }),
    );
  });
});

describe('isWholeMultiple', () => {
  it('says which timeframes can be built from which', () => {
    expect(isWholeMultiple('1h', '4h')).toBe(true);
    expect(isWholeMultiple('1h', '1h')).toBe(true);
    expect(isWholeMultiple('1d', '1w')).toBe(true);
    expect(isWholeMultiple('1h', '1M')).toBe(true);
    expect(isWholeMultiple('4h', '1h')).toBe(false);
    expect(isWholeMultiple('3d', '1w')).toBe(false);
    expect(isWholeMultiple('1w', '1M')).toBe(false);
  });

  it('holds exactly when every bar of the finer timeframe lies inside one bar of the coarser', () => {
    const instant = fc.integer({ min: at('2000-01-01T00:00:00Z'), max: at('2040-01-01T00:00:00Z') });
    fc.assert(
      fc.property(instant, fc.constantFrom(...TIMEFRAMES), fc.constantFrom(...TIMEFRAMES), (time, from, to) => {
        if (!isWholeMultiple(from, to)) return;
        const open = barOpenTime(time, from);
        const last = barCloseTime(time, from) - 1;
        expect(barOpenTime(last, to)).toBe(barOpenTime(open, to));
      }),
    );
  });
});
