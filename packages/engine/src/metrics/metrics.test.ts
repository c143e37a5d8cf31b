import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeMetrics, type EquityPoint } from './metrics.js';
import { RunningMetrics } from './running-metrics.js';

const DAY = 86_400_000;
const curve = (values: number[], exposed: boolean[] = values.map(() => true)): EquityPoint[] => values.map((equity, i) => ({ time: i * DAY, equity, exposed: exposed[i]! }));

describe('metrics, checked by hand', () => {
  it('returns, drawdown with its dates and duration, and trade statistics', () => {
    const m = computeMetrics(curve([100, 110, 99, 104.5, 120, 114]), [{ pnl: 30, entryTime: 0, exitTime: 1 }, { pnl: -10, entryTime: 1, exitTime: 2 }, { pnl: -5, entryTime: 2, exitTime: 3 }], { periodsPerYear: 252 });
    expect(m.totalReturn).toBeCloseTo(0.14, 12);
    expect(m.maxDrawdown).toEqual({ depth: 0.1, peakTime: 1 * DAY, troughTime: 2 * DAY, recoveryTime: 4 * DAY, durationMs: 3 * DAY });
    expect([m.trades, m.winRate, m.profitFactor, m.expectancy]).toEqual([3, 1 / 3, 2, 5]);
    expect(m.exposure).toBe(1);
  });

  it('an unrecovered drawdown lasts to the end of the curve', () => {
    const m = computeMetrics(curve([100, 120, 90, 100]), [], { periodsPerYear: 365 });
    expect(m.maxDrawdown).toEqual({ depth: 0.25, peakTime: DAY, troughTime: 2 * DAY, recoveryTime: undefined, durationMs: 2 * DAY });
    expect(m.profitFactor).toBe(0);
  });

  it('refuses a curve too short to measure', () => {
    expect(() => computeMetrics(curve([100]), [], { periodsPerYear: 252 })).toThrow('metrics need at least two equity points, got 1');
  });
});

describe('metrics against an independent computation (golden)', () => {
  it('CAGR, volatility, Sharpe, Sortino and Calmar on a random walk, with a risk-free rate', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -0.05, max: 0.05, noNaN: true }), { minLength: 30, maxLength: 400 }), (steps) => {
        const values = [1_000];
        for (const r of steps) values.push(values.at(-1)! * (1 + r));
        const exposed = values.map((_, i) => i % 3 !== 0);
        const m = computeMetrics(curve(values, exposed), [], { periodsPerYear: 365, riskFreeRate: 0.02 });
        // Written out in the most literal way.
        const rets = values.slice(1).map((v, i) => v / values[i]! - 1);
        const avg = rets.reduce((a, b) => a + b) / rets.length;
        const variance = rets.map((r) => (r - avg) ** 2).reduce((a, b) => a + b) / (rets.length - 1);
        const rfp = 0.02 / 365;
        const dd = Math.sqrt(rets.map((r) => Math.min(0, r - rfp) ** 2).reduce((a, b) => a + b) / rets.length);
        const years = (rets.length * DAY) / (365.25 * DAY);
        // Under 90 days a return is not annualised.
        const cagr = rets.length >= 90 ? (values.at(-1)! / values[0]!) ** (1 / years) - 1 : Number.NaN;
        let peak = values[0]!;
        let maxDd = 0;
        for (const v of values) {
          peak = Math.max(peak, v);
          maxDd = Math.max(maxDd, (peak - v) / peak);
        }
        const close = (a: number, b: number) => (Number.isNaN(b) ? Number.isNaN(a) : Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)));
        return (
          close(m.volatility, Math.sqrt(variance * 365)) &&
          close(m.sharpe, ((avg - rfp) / Math.sqrt(variance)) * Math.sqrt(365)) &&
          close(m.sortino, dd === 0 ? 0 : ((avg - rfp) / dd) * Math.sqrt(365)) &&
          close(m.cagr, cagr) &&
          close(m.maxDrawdown.depth, maxDd) &&
          close(m.calmar, Number.isNaN(cagr) ? Number.NaN : maxDd === 0 ? 0 : cagr / maxDd) &&
          close(m.exposure, exposed.slice(1).filter(Boolean).length / rets.length)
        );
      }),
      { numRuns: 200 },
    );
  });
});

describe('running metrics', () => {
  it('restored from JSON mid-run, they end where an unbroken accumulation ends', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -0.05, max: 0.05, noNaN: true }), { minLength: 3, maxLength: 200 }), fc.nat(), (steps, at) => {
        const cut = 1 + (at % (steps.length - 1));
        const options = { periodsPerYear: 252, riskFreeRate: 0.01 };
        const whole = new RunningMetrics(options);
        const first = new RunningMetrics(options);
        let equity = 1_000;
        steps.forEach((r, i) => {
          equity *= 1 + r;
          whole.addPoint(i * DAY, equity, r > 0);
          whole.addTrade(r * 100);
          if (i < cut) {
            first.addPoint(i * DAY, equity, r > 0);
            first.addTrade(r * 100);
          }
        });
        const second = new RunningMetrics(options);
        second.restore(JSON.parse(JSON.stringify(first.toState())));
        equity = 1_000;
        steps.forEach((r, i) => {
          equity *= 1 + r;
          if (i >= cut) {
            second.addPoint(i * DAY, equity, r > 0);
            second.addTrade(r * 100);
          }
        });
        expect(second.result()).toEqual(whole.result());
      }),
    );
  });
});
