import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alignReturns, PriceHistory } from '../src/return-history.js';

const history = (closes: readonly number[], capacity: number, step = 60_000) => {
  const h = new PriceHistory(capacity);
  closes.forEach((c, i) => h.add(i * step, c));
  return h;
};

describe('returns of price histories', () => {
  it('one symbol: the returns between consecutive closes, the newest `limit`', () => {
    expect([...alignReturns([history([100, 110, 99, 99], 10)], 10)[0]!]).toEqual([110 / 100 - 1, 99 / 110 - 1, 0]);
    expect([...alignReturns([history([100, 110, 99, 99], 10)], 2)[0]!]).toEqual([99 / 110 - 1, 0]);
    expect(alignReturns([history([100], 10)], 5)[0]!.length).toBe(0);
  });

  it('one symbol alone gives the same returns as the same symbol aligned with a twin on the same times', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 1, max: 1e5, noNaN: true }), { minLength: 1, maxLength: 120 }), fc.integer({ min: 2, max: 60 }), fc.integer({ min: 1, max: 150 }), (closes, capacity, limit) => {
        const alone = alignReturns([history(closes, capacity)], limit)[0]!;
        const paired = alignReturns([history(closes, capacity), history(closes, capacity)], limit)[0]!;
        expect([...alone]).toEqual([...paired]);
      }),
    );
  });

  it('symbols on different calendars are aligned on the times they share', () => {
    const daily = new PriceHistory(10);
    const weekdays = new PriceHistory(10);
    [100, 101, 102, 103].forEach((c, i) => daily.add(i, c));
    [50, 55].forEach((c, i) => weekdays.add(i * 3, c));
    const [a, b] = alignReturns([daily, weekdays], 10);
    expect([...a!]).toEqual([103 / 100 - 1]);
    expect([...b!]).toEqual([55 / 50 - 1]);
  });
});
