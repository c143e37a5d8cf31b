import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RiskModel } from '../src/risk-model.js';
import { ReferenceRiskModel } from './reference/reference-risk-model.js';

const options = { confidence: 0.95, horizonBars: 1, window: 50, minHistory: 10 };
const closes = Array.from({ length: 61 }, (_, t) => 100 * 1.003 ** t * (t % 3 === 0 ? 0.99 : 1));
const fed = (count: number) => {
  const m = new RiskModel(options);
  for (let t = 0; t < count; t++) m.addClose('BTC', t, closes[t]!);
  return m;
};

describe('risk model', () => {
  const model = fed(60);

  it('asked the same between two closes, it answers from its last estimate; a new close or another book is estimated afresh', () => {
    const first = model.estimate(new Map([['BTC', 10_000]]));
    expect(model.estimate(new Map([['BTC', 10_000]]))).toBe(first);
    const other = model.estimate(new Map([['BTC', 20_000]]));
    expect(other).not.toBe(first);
    expect(first.ok && other.ok && other.risk.historical.valueAtRisk).toBeCloseTo(first.ok ? 2 * first.risk.historical.valueAtRisk : 0, 9);
    model.addClose('BTC', 60, closes[60]!);
    const later = model.estimate(new Map([['BTC', 10_000]]));
    expect(later).not.toBe(first);
    // The same as a model that never answered anything before.
    expect(later).toEqual(fed(61).estimate(new Map([['BTC', 10_000]])));
  });
});

describe('risk model against the re-aligning computation it replaced', () => {
  const symbols = ['AAA', 'BBB', 'CCC'];
  it('gives the same historical VaR exactly and every other figure to 1e-9, whatever the calendars and books', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 10, max: 40 }),
        fc.array(fc.double({ min: 0.2, max: 1, noNaN: true }), { minLength: 3, maxLength: 3 }),
        fc.array(fc.tuple(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 3, maxLength: 3 }), fc.array(fc.double({ min: -0.04, max: 0.04, noNaN: true }), { minLength: 3, maxLength: 3 }), fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 3, maxLength: 3 })), { minLength: 1, maxLength: 200 }),
        (window, calendars, steps) => {
          const options = { confidence: 0.95, horizonBars: 4, window, minHistory: 5 };
          const model = new RiskModel(options);
          const reference = new ReferenceRiskModel(options);
          const prices = [100, 20, 5_000];
          steps.forEach(([draws, moves, holdings], time) => {
            symbols.forEach((s, i) => {
              prices[i] = prices[i]! * (1 + moves[i]!);
              if (draws[i]! < calendars[i]!) {
                model.addClose(s, time, prices[i]!);
                reference.addClose(s, time, prices[i]!);
              }
            });
            const book = new Map(symbols.flatMap((s, i) => (holdings[i] === 0 ? [] : [[s, holdings[i]! * 10_000] as const])));
            const got = model.estimate(book);
            const want = reference.estimate(book);
            expect(got.ok).toBe(want.ok);
            if (!got.ok || !want.ok) return expect(got).toEqual(want);
            const gross = [...book.values()].reduce((a, v) => a + Math.abs(v), 0);
            // 1e-9 of the larger figure, or of a thousandth of the book where both are next to nothing (a flat price).
            const near = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-9 * Math.max(Math.abs(a), Math.abs(b), gross * 1e-3));
            // The VaR is one of the scenarios, the same number (a flat price's loss may come out as 0 or −0).
            expect(Math.abs(got.risk.historical.valueAtRisk - want.risk.historical.valueAtRisk)).toBe(0);
            near(got.risk.historical.expectedShortfall, want.risk.historical.expectedShortfall);
            expect(got.risk.periods).toBe(want.risk.periods);
            near(got.risk.parametric.valueAtRisk, want.risk.parametric.valueAtRisk);
            near(got.risk.parametric.expectedShortfall, want.risk.parametric.expectedShortfall);
            got.risk.componentVar.forEach((c, i) => near(c, want.risk.componentVar[i]!));
          });
        },
      ),
      { numRuns: 200 },
    );
  });
});
