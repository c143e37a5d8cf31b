import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Atr, batch, BollingerBands, Ema, LinRegSlope, Macd, RollingMax, RollingMin, RollingStdDev, Rsi, Sma, Wma } from '../src/index.js';

const prices = fc.array(fc.double({ min: 1, max: 1e5, noNaN: true }), { minLength: 1, maxLength: 300 });
const period = fc.integer({ min: 2, max: 40 });

/** Straightforward windowed reference computations, to check the O(1) updates against. */
const naive = {
  window: (xs: readonly number[], i: number, n: number) => xs.slice(i - n + 1, i + 1),
  mean: (w: readonly number[]) => w.reduce((s, x) => s + x, 0) / w.length,
  wma: (w: readonly number[]) => w.reduce((s, x, k) => s + (k + 1) * x, 0) / ((w.length * (w.length + 1)) / 2),
  sd: (w: readonly number[]) => {
    const m = naive.mean(w);
    return Math.sqrt(w.reduce((s, x) => s + (x - m) ** 2, 0) / w.length);
  },
  slope: (w: readonly number[]) => {
    const n = w.length;
    const mx = (n - 1) / 2;
    const my = naive.mean(w);
    let num = 0;
    let den = 0;
    w.forEach((y, x) => {
      num += (x - mx) * (y - my);
      den += (x - mx) ** 2;
    });
    return num / den;
  },
};

function agrees(name: string, make: (n: number) => { update(x: number): number }, reference: (w: readonly number[]) => number, tolerance: number) {
  it(`${name} equals the windowed computation at every step, NaN before warm-up`, () => {
    fc.assert(
      fc.property(prices, period, (xs, n) => {
        const ind = make(n);
        return xs.every((x, i) => {
          const v = ind.update(x);
          if (i < n - 1) return Number.isNaN(v);
          const w = naive.window(xs, i, n);
          const ref = reference(w);
          // Rounding error scales with the size of the inputs, not of the result (a tiny σ of large prices).
          return Math.abs(v - ref) <= tolerance * Math.max(1, ...w.map(Math.abs));
        });
      }),
      { numRuns: 200 },
    );
  });
}

describe('streaming calculators', () => {
  agrees('SMA', (n) => new Sma(n), naive.mean, 1e-9);
  agrees('WMA', (n) => new Wma(n), naive.wma, 1e-9);
  it('rolling std-dev equals the windowed computation, its variance within rounding of the recent inputs', () => {
    fc.assert(
      fc.property(prices, period, (xs, n) => {
        const sd = new RollingStdDev(n);
        return xs.every((x, i) => {
          const v = sd.update(x);
          if (i < n - 1) return Number.isNaN(v);
          const ref = naive.sd(naive.window(xs, i, n));
          // Sliding updates carry rounding error from values up to two windows back until the next rebuild.
          const scale = Math.max(1, ...xs.slice(Math.max(0, i - 2 * n + 1), i + 1).map(Math.abs)) ** 2;
          return Math.abs(v * v - ref * ref) <= 1e-12 * scale;
        });
      }),
      { numRuns: 300 },
    );
  });
  agrees('rolling min', (n) => new RollingMin(n), (w) => Math.min(...w), 0);
  agrees('rolling max', (n) => new RollingMax(n), (w) => Math.max(...w), 0);
  agrees('regression slope', (n) => new LinRegSlope(n), naive.slope, 1e-9);

  it('RSI stays within [0, 100] and reads 100 for a rising series, 0 for a falling one, 50 for a flat one', () => {
    fc.assert(fc.property(prices, (xs) => batch.rsi(Float64Array.from(xs), 14).every((v) => Number.isNaN(v) || (v >= 0 && v <= 100))));
    expect(batch.rsi(Float64Array.from({ length: 20 }, (_, i) => 10 + i), 5).at(-1)).toBe(100);
    expect(batch.rsi(Float64Array.from({ length: 20 }, (_, i) => 30 - i), 5).at(-1)).toBe(0);
    expect(batch.rsi(new Float64Array(20).fill(7), 5).at(-1)).toBe(50);
  });

  it('say when they are stable', () => {
    const cases: [string, { warmup: number; readonly isStable: boolean }, (k: number) => void][] = [];
    const sma = new Sma(5);
    cases.push(['SMA 5', sma, (k) => sma.update(k)]);
    const ema = new Ema(5);
    cases.push(['EMA 5', ema, (k) => ema.update(k)]);
    const rsi = new Rsi(5);
    cases.push(['RSI 5', rsi, (k) => rsi.update(k + (k % 2))]);
    const macd = new Macd(3, 6, 4);
    cases.push(['MACD 3/6/4', macd, (k) => macd.update(k)]);
    const bb = new BollingerBands(5);
    cases.push(['BB 5', bb, (k) => bb.update(k)]);
    const atr = new Atr(5);
    cases.push(['ATR 5', atr, (k) => atr.update(k + 1, k, k + 0.5)]);
    for (const [name, ind, feed] of cases) {
      for (let k = 1; k <= ind.warmup; k++) {
        expect(ind.isStable, `${name} after ${k - 1} inputs`).toBe(false);
        feed(k);
      }
      expect(ind.isStable, `${name} after ${ind.warmup} inputs`).toBe(true);
    }
    expect([sma.warmup, ema.warmup, rsi.warmup, macd.warmup, bb.warmup, atr.warmup]).toEqual([5, 5, 6, 9, 5, 6]);
  });

  it('stay accurate over a million updates at high price levels (no drift in running sums)', () => {
    const sma = new Sma(20);
    const sd = new RollingStdDev(20);
    const wma = new Wma(20);
    const xs: number[] = [];
    for (let i = 0; i < 1_000_000; i++) {
      const x = 65_000 + Math.sin(i / 7) * 3 + (i % 13) * 1e-3;
      xs.push(x);
      sma.update(x);
      sd.update(x);
      wma.update(x);
    }
    const w = xs.slice(-20);
    expect(Math.abs(sma.value - naive.mean(w))).toBeLessThan(1e-9);
    expect(Math.abs(sd.value - naive.sd(w))).toBeLessThan(1e-7);
    expect(Math.abs(wma.value - naive.wma(w))).toBeLessThan(1e-9);
  });

  it('reset returns them to their initial state', () => {
    const m = new Macd();
    const xs = Float64Array.from({ length: 100 }, (_, i) => 100 + Math.sin(i));
    for (const x of xs) m.update(x);
    const first = m.macd;
    m.reset();
    expect(Number.isNaN(m.macd)).toBe(true);
    for (const x of xs) m.update(x);
    expect(m.macd).toBe(first);
  });

  it('refuse nonsense periods with a message', () => {
    expect(() => new Sma(0)).toThrow('SMA period must be an integer >= 1, got 0');
    expect(() => new LinRegSlope(1)).toThrow('linear regression slope period must be an integer >= 2, got 1');
    expect(() => new Macd(26, 12)).toThrow('MACD slow period (12) must be greater than the fast period (26)');
  });
});
