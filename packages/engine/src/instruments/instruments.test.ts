import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InstrumentBook, orderSizeProblem, roundPrice, roundQuantity } from './instruments.js';

describe('instruments', () => {
  const book = new InstrumentBook(
    [{ symbol: 'BTC/USDT', lotSize: 0.00001, tickSize: 0.01, minNotional: 5 }, { symbol: 'SPY', tickSize: 0.01 }],
    [{ symbol: 'SPY', fractional: false }, { symbol: 'ES', lotSize: 1, multiplier: 50 }],
  );

  it('rounds quantities down to whole lots, without binary noise', () => {
    expect(roundQuantity(0.123456789, book.of('BTC/USDT'))).toBe(0.12345);
    expect(roundQuantity(0.3, { ...book.of('BTC/USDT'), lotSize: 0.1 })).toBe(0.3);
    expect(roundQuantity(10.99, book.of('SPY'))).toBe(10);
    expect(roundQuantity(0.999, book.of('SPY'))).toBe(0);
    expect(roundQuantity(1.23456789, book.of('ANY'))).toBe(1.234567);
  });

  it('never rounds a quantity up, and always to a whole number of lots', () => {
    const lots = fc.constantFrom(1, 0.1, 0.5, 0.001, 0.00001, 0.000001, 25);
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e6, noNaN: true }), lots, (q, lotSize) => {
        const rounded = roundQuantity(q, { ...book.of('X'), lotSize });
        expect(rounded).toBeLessThanOrEqual(q + 1e-9 * lotSize);
        expect(q - rounded).toBeLessThan(lotSize * (1 + 1e-9));
        const lotsHeld = rounded / lotSize;
        // Whole to within the precision of a double at that count of lots.
        expect(Math.abs(lotsHeld - Math.round(lotsHeld))).toBeLessThanOrEqual(1e-6 + lotsHeld * 1e-12);
      }),
    );
  });

  it('rounds prices to the tick in the direction asked', () => {
    const btc = book.of('BTC/USDT');
    expect(roundPrice(100.005, btc, 'down')).toBe(100);
    expect(roundPrice(100.001, btc, 'up')).toBe(100.01);
    expect(roundPrice(100.006, btc, 'nearest')).toBe(100.01);
    expect(roundPrice(12.3456, book.of('ANY'), 'down')).toBe(12.3456);
  });

  it('takes the config over the data plugin field by field, and defaults for the rest', () => {
    expect(book.of('SPY')).toMatchObject({ tickSize: 0.01, lotSize: 1, multiplier: 1, minNotional: 0 });
    expect(book.of('ES')).toMatchObject({ lotSize: 1, multiplier: 50 });
  });

  it('names the limit an order breaks', () => {
    expect(orderSizeProblem(0.00001, 60_000, book.of('BTC/USDT'))).toBe('an order of 0.00001 BTC/USDT at 60000 is worth 0.60, below the minimum of 5');
    expect(orderSizeProblem(0.001, 60_000, book.of('BTC/USDT'))).toBeUndefined();
    expect(orderSizeProblem(1, 5_000, book.of('ES'))).toBeUndefined();
  });

  it('refuses rules that cannot hold', () => {
    expect(() => new InstrumentBook([{ symbol: 'X', lotSize: 0 }])).toThrow('instrument X: lotSize must be above 0, got 0');
    expect(() => new InstrumentBook([{ symbol: 'X', fractional: false, lotSize: 0.5 }])).toThrow('fractional is false but lotSize 0.5 is not a whole number');
  });
});
