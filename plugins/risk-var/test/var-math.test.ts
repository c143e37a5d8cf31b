import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { covarianceOf, herfindahl, historicalTailRisk, normalQuantile, parametricRisk, scaleToHorizon } from '../src/index.js';

describe('VaR arithmetic, checked by hand', () => {
  it('historical VaR and ES: 20 scenarios at 90% → the tail is the 2 worst losses', () => {
    // Losses (−P&L) sorted: 50, 30, 20, 10, … ; m = ceil(20 × 0.1) = 2 → VaR = 30, ES = (50 + 30) / 2 = 40.
    const pnl = [-50, -30, -20, -10, 0, 5, 5, 5, 5, 5, 10, 10, 10, 10, 10, 15, 15, 15, 15, 20];
    expect(historicalTailRisk(pnl, 0.9)).toEqual({ valueAtRisk: 30, expectedShortfall: 40 });
    // 99% of 20 scenarios: m = ceil(0.2) = 1 → the worst loss for both.
    expect(historicalTailRisk(pnl, 0.99)).toEqual({ valueAtRisk: 50, expectedShortfall: 50 });
    // 95% of 20: m = ceil(1) = 1 exactly (no rounding up to 2).
    expect(historicalTailRisk(pnl, 0.95)).toEqual({ valueAtRisk: 50, expectedShortfall: 50 });
  });

  it('the tail found by selection is the tail of the sorted losses', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 400 }), fc.double({ min: 0.51, max: 0.999, noNaN: true }), (pnl, c) => {
        const sorted = pnl.map((x) => -x).sort((a, b) => b - a);
        const m = Math.max(1, Math.ceil(pnl.length * (1 - c) - 1e-9));
        const r = historicalTailRisk(pnl, c);
        // Integer P&L: the tail sums are exact whatever order they are added in.
        return r.valueAtRisk === sorted[m - 1] && r.expectedShortfall === sorted.slice(0, m).reduce((a, b) => a + b, 0) / m;
      }),
      { numRuns: 500 },
    );
  });

  it('ES is never below VaR, and both scale with √horizon', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 300 }), fc.double({ min: 0.51, max: 0.999, noNaN: true }), (pnl, c) => {
        const r = historicalTailRisk(pnl, c);
        return r.expectedShortfall >= r.valueAtRisk - 1e-9 * Math.max(1, Math.abs(r.valueAtRisk));
      }),
    );
    expect(scaleToHorizon({ valueAtRisk: 10, expectedShortfall: 12 }, 4)).toEqual({ valueAtRisk: 20, expectedShortfall: 24 });
  });

  it('the normal quantile', () => {
    expect(normalQuantile(0.99)).toBeCloseTo(2.326347874, 8);
    expect(normalQuantile(0.95)).toBeCloseTo(1.644853627, 8);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 12);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306, 7);
  });

  it('parametric VaR of two assets: σ² = vᵀΣv, components add up to the volatility term', () => {
    // σ1 = 2%, σ2 = 1%, ρ = 0.5, $100 in each: σp² = 4 + 1 + 2·0.5·2·1 = 7 ($²) → σp = √7.
    const cov = [Float64Array.of(0.0004, 0.0001), Float64Array.of(0.0001, 0.0001)];
    const r = parametricRisk([100, 100], cov, [0, 0], 0.95, 1);
    expect(r.sigma).toBeCloseTo(Math.sqrt(7), 12);
    expect(r.valueAtRisk).toBeCloseTo(1.644853627 * Math.sqrt(7), 7);
    expect(r.component[0]! + r.component[1]!).toBeCloseTo(r.valueAtRisk, 9);
    // A perfect hedge: long and short the same asset.
    expect(parametricRisk([100, -100], [Float64Array.of(0.0004, 0.0004), Float64Array.of(0.0004, 0.0004)], [0, 0], 0.99, 1).valueAtRisk).toBeCloseTo(0, 12);
  });

  it('sample covariance and Herfindahl', () => {
    const { means, covariance } = covarianceOf([Float64Array.of(1, 2, 3, 4), Float64Array.of(2, 4, 6, 8)]);
    expect([...means]).toEqual([2.5, 5]);
    expect(covariance[0]![0]).toBeCloseTo(5 / 3, 12);
    expect(covariance[0]![1]).toBeCloseTo(10 / 3, 12);
    expect(herfindahl([50, 50])).toBe(0.5);
    expect(herfindahl([100, -100, 100, -100])).toBe(0.25);
    expect(herfindahl([0, 0])).toBe(0);
  });
});
