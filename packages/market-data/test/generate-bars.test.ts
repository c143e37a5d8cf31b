import fc from 'fast-check';
import { checkBar } from '@trading-orchestrator/plugin-api';
import { describe, expect, it } from 'vitest';
import { generateBars, generateUniverse, SeededRandom, US_EQUITY_SESSION } from '../src/index.js';

describe('seeded generators', () => {
  it('the same seed gives the same bars; another seed does not', () => {
    const a = [...generateBars({ symbol: 'X', timeframe: '1h', count: 500, seed: 1 })];
    const b = [...generateBars({ symbol: 'X', timeframe: '1h', count: 500, seed: 1 })];
    const c = [...generateBars({ symbol: 'X', timeframe: '1h', count: 500, seed: 2 })];
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('every generated bar satisfies the bar contract, whatever the parameters', () => {
    fc.assert(
      fc.property(fc.integer(), fc.double({ min: 0, max: 3, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: 0, max: 0.5, noNaN: true }), (seed, volatility, drift, gapProbability) => {
        for (const bar of generateBars({ symbol: 'X', timeframe: '5m', count: 200, seed, volatility, drift, gapProbability })) {
          if (checkBar(bar) !== undefined) return false;
        }
        return true;
      }),
      { numRuns: 50 },
    );
  });

  it('realised volatility follows the configured volatility', () => {
    const bars = [...generateBars({ symbol: 'X', timeframe: '1d', count: 5_000, seed: 9, volatility: 0.3, initialPrice: 1_000 })];
    const r = bars.slice(1).map((b, i) => Math.log(b.close / bars[i]!.close));
    const mean = r.reduce((s, x) => s + x, 0) / r.length;
    const annual = Math.sqrt((r.reduce((s, x) => s + (x - mean) ** 2, 0) / (r.length - 1)) * 365);
    expect(annual).toBeGreaterThan(0.27);
    expect(annual).toBeLessThan(0.33);
  });

  it('regimes switch the volatility', () => {
    const bars = [...generateBars({ symbol: 'X', timeframe: '1h', count: 4_000, seed: 5, initialPrice: 1_000, regimes: [{ drift: 0, volatility: 0.1, meanBars: 500 }, { drift: 0, volatility: 1.5, meanBars: 500 }] })];
    const moves = bars.slice(1).map((b, i) => Math.abs(Math.log(b.close / bars[i]!.close)));
    const windows = Array.from({ length: 40 }, (_, w) => moves.slice(w * 100, w * 100 + 100).reduce((s, x) => s + x, 0));
    expect(Math.max(...windows) / Math.min(...windows)).toBeGreaterThan(5);
  });

  it('sessions keep bars inside trading hours and gaps move the open', () => {
    const bars = [...generateBars({ symbol: 'SPY', timeframe: '30m', count: 300, seed: 3, session: US_EQUITY_SESSION, gapProbability: 1, gapVolatility: 0.05 })];
    for (const b of bars) {
      const d = new Date(b.time);
      const minute = d.getUTCHours() * 60 + d.getUTCMinutes();
      expect([1, 2, 3, 4, 5]).toContain(d.getUTCDay());
      expect(minute).toBeGreaterThanOrEqual(14 * 60 + 30);
      expect(minute).toBeLessThan(21 * 60);
    }
    const gapped = bars.slice(1).filter((b, i) => b.open !== bars[i]!.close).length;
    expect(gapped).toBeGreaterThan(250);
  });

  it('daily bars in a session fall on its weekdays; an impossible session is an error, not a hang', () => {
    const daily = [...generateBars({ symbol: 'SPY', timeframe: '1d', count: 20, seed: 1, session: US_EQUITY_SESSION })];
    expect(daily.map((b) => new Date(b.time).getUTCDay()).every((d) => d >= 1 && d <= 5)).toBe(true);
    const never = { openMinute: 600, closeMinute: 600, weekdays: [1] };
    expect(() => [...generateBars({ symbol: 'X', timeframe: '1h', count: 1, seed: 1, session: never })]).toThrow('no 1h bar ever opens inside the trading session; check its hours and weekdays');
  });

  it('a universe is merged in time order with distinct paths per symbol', () => {
    const bars = generateUniverse(['A', 'B', 'C'], { timeframe: '1h', count: 100, seed: 1 });
    expect(bars).toHaveLength(300);
    for (let i = 1; i < bars.length; i++) expect(bars[i]!.time).toBeGreaterThanOrEqual(bars[i - 1]!.time);
    expect(new Set(bars.filter((b) => b.time === bars[0]!.time).map((b) => b.close)).size).toBe(3);
  });

  it('the PRNG is uniform enough and its normals have unit variance', () => {
    const rng = new SeededRandom(123);
    const n = 100_000;
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const z = rng.normal();
      sum += z;
      sq += z * z;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.02);
    expect(Math.abs(sq / n - 1)).toBeLessThan(0.02);
  });
});
