import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalQuantile } from '../src/math/normal.js';
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
    // The same as a model that never answered anything before (its moments summed in another order: to 1e-9).
    const fresh = fed(61).estimate(new Map([['BTC', 10_000]]));
    if (!later.ok || !fresh.ok) throw new Error('both have the history they need');
    expect(later.risk.historical).toEqual(fresh.risk.historical);
    expect(later.risk.parametric.valueAtRisk).toBeCloseTo(fresh.risk.parametric.valueAtRisk, 9);
    expect(later.risk.parametric.expectedShortfall).toBeCloseTo(fresh.risk.parametric.expectedShortfall, 9);
  });
});

describe('risk model against the re-aligning computation it replaced', () => {
  const symbols = ['AAA', 'BBB', 'CCC'];
  it('gives the same historical VaR exactly and every other figure to 1e-9, whatever the calendars, books and moment asked', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 10, max: 40 }),
        // Half the symbols on one shared calendar (a close every step), the others with gaps of their own.
        fc.array(fc.oneof(fc.constant(1), fc.double({ min: 0.2, max: 1, noNaN: true })), { minLength: 3, maxLength: 3 }),
        // Each step: which symbols close, their moves, the book, and after which symbol's close it is asked about
        // (bars of one time arrive one symbol after another).
        fc.array(fc.tuple(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 3, maxLength: 3 }), fc.array(fc.double({ min: -0.04, max: 0.04, noNaN: true }), { minLength: 3, maxLength: 3 }), fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 3, maxLength: 3 }), fc.integer({ min: 0, max: 2 })), { minLength: 1, maxLength: 200 }),
        (window, calendars, steps) => {
          const options = { confidence: 0.95, horizonBars: 4, window, minHistory: 5 };
          const model = new RiskModel(options);
          const reference = new ReferenceRiskModel(options);
          const prices = [100, 20, 5_000];
          steps.forEach(([draws, moves, holdings, askedAfter], time) => {
            const close = (i: number) => {
              prices[i] = prices[i]! * (1 + moves[i]!);
              if (draws[i]! < calendars[i]!) {
                model.addClose(symbols[i]!, time, prices[i]!);
                reference.addClose(symbols[i]!, time, prices[i]!);
              }
            };
            for (let i = 0; i <= askedAfter; i++) close(i);
            const book = new Map(symbols.flatMap((s, i) => (holdings[i] === 0 ? [] : [[s, holdings[i]! * 10_000] as const])));
            const compare = () => {
              const got = model.estimate(book);
              const want = reference.estimate(book);
              expect(got.ok).toBe(want.ok);
              if (!got.ok || !want.ok) return void expect(got).toEqual(want);
              const gross = [...book.values()].reduce((a, v) => a + Math.abs(v), 0);
              // A hedged book's σ² = vᵀΣv cancels most of its terms: what is left carries the rounding of the terms, in
              // either computation. So: 1e-9 of the larger figure or of the book's gross value, or the VaR of a σ² equal
              // to 1e-12 of the undiversified Σ|vᵢ||vⱼ||Σᵢⱼ| (the rounding of the covariance, scaled to the book).
              const { symbols: held, values } = want.risk;
              const covariance = (reference as unknown as { joint?: { covariance: Float64Array[] } }).joint?.covariance;
              let undiversified = 0;
              if (held.length > 0) held.forEach((_, i) => held.forEach((_, j) => (undiversified += Math.abs(values[i]! * values[j]! * covariance![i]![j]!))));
              const rounding = normalQuantile(options.confidence) * Math.sqrt(options.horizonBars) * Math.sqrt(1e-12 * undiversified);
              const near = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(Math.max(1e-9 * Math.max(Math.abs(a), Math.abs(b), gross), rounding));
              // The VaR is one of the scenarios, the same number (a flat price's loss may come out as 0 or −0).
              expect(Math.abs(got.risk.historical.valueAtRisk - want.risk.historical.valueAtRisk)).toBe(0);
              near(got.risk.historical.expectedShortfall, want.risk.historical.expectedShortfall);
              expect(got.risk.periods).toBe(want.risk.periods);
              near(got.risk.parametric.valueAtRisk, want.risk.parametric.valueAtRisk);
              near(got.risk.parametric.expectedShortfall, want.risk.parametric.expectedShortfall);
              got.risk.componentVar.forEach((c, i) => near(c, want.risk.componentVar[i]!));
            };
            compare();
            for (let i = askedAfter + 1; i < symbols.length; i++) close(i);
          });
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('one window for every book while the symbols share a calendar', () => {
  it('serves books of any symbols, asked between two symbols\' bars of one time too, with no window of their own; a gap in one calendar ends it', () => {
    const options = { confidence: 0.95, horizonBars: 1, window: 30, minHistory: 10 };
    const model = new RiskModel(options);
    const reference = new ReferenceRiskModel(options);
    const internals = model as unknown as { calendar: { shared: boolean }; joints: Map<string, unknown>; universe: unknown };
    const symbols = ['AAA', 'BBB', 'CCC'];
    let seed = 3;
    const move = () => 1 + ((seed = (seed * 16_807) % 2_147_483_647) / 2_147_483_647 - 0.5) * 0.02;
    const prices = [100, 50, 10];
    const books = [new Map([['AAA', 5_000]]), new Map([['AAA', 5_000], ['CCC', -2_000]]), new Map([['BBB', -1_000]]), new Map([['AAA', 1_000], ['BBB', 1_000], ['CCC', 1_000]])];
    for (let t = 0; t < 80; t++) {
      symbols.forEach((s, i) => {
        prices[i] = prices[i]! * move();
        model.addClose(s, t, prices[i]!);
        reference.addClose(s, t, prices[i]!);
        for (const book of books) {
          const got = model.estimate(book);
          const want = reference.estimate(book);
          expect(got.ok).toBe(want.ok);
          if (got.ok && want.ok) {
            expect(got.risk.historical.valueAtRisk).toBe(want.risk.historical.valueAtRisk);
            expect(got.risk.periods).toBe(want.risk.periods);
            expect(got.risk.parametric.valueAtRisk).toBeCloseTo(want.risk.parametric.valueAtRisk, 6);
          }
        }
      });
    }
    expect(internals.calendar.shared).toBe(true);
    expect(internals.universe).toBeDefined();
    expect(internals.joints.size).toBe(0);
    // CCC misses a bar: from then on each book keeps its own window, with the same answers.
    model.addClose('AAA', 80, 101);
    model.addClose('BBB', 80, 51);
    reference.addClose('AAA', 80, 101);
    reference.addClose('BBB', 80, 51);
    model.addClose('AAA', 81, 102);
    model.addClose('BBB', 81, 52);
    model.addClose('CCC', 81, 11);
    reference.addClose('AAA', 81, 102);
    reference.addClose('BBB', 81, 52);
    reference.addClose('CCC', 81, 11);
    const got = model.estimate(books[1]!);
    const want = reference.estimate(books[1]!);
    expect(internals.calendar.shared).toBe(false);
    expect(got.ok && want.ok && got.risk.historical.valueAtRisk === want.risk.historical.valueAtRisk).toBe(true);
    expect(internals.joints.size).toBe(1);
  });
});
