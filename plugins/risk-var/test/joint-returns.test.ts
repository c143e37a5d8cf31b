import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JointReturns } from '../src/joint-returns.js';
import { covarianceOf } from '../src/math/var-math.js';
import { alignReturns, PriceHistory } from '../src/return-history.js';

/** Every return the window holds, per symbol, oldest first. */
const columns = (joint: JointReturns) => Array.from({ length: joint.k }, (_, i) => Array.from({ length: joint.periods }, (_, t) => joint.at(t, i)));

/**
 * Equal to 1e-9 relative; where both are next to nothing (a flat price), to `floor`, far below anything a VaR could
 * show (returns here are up to 5e-2, their squares 2.5e-3).
 */
const close = (a: number, b: number, floor = 1e-17) => Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b)) + floor;

/**
 * A stream of closes for several symbols on calendars of their own: at each step, each symbol trades or not
 * (a symbol that trades at every step next to one that seldom does makes the histories drop closes at very
 * different paces), with the window brought up to date at random points.
 */
const streams = fc.record({
  window: fc.integer({ min: 2, max: 24 }),
  calendars: fc.array(fc.double({ min: 0.1, max: 1, noNaN: true }), { minLength: 1, maxLength: 3 }),
  steps: fc.array(fc.tuple(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 3, maxLength: 3 }), fc.array(fc.double({ min: -0.05, max: 0.05, noNaN: true }), { minLength: 3, maxLength: 3 }), fc.boolean()), { minLength: 1, maxLength: 250 }),
});

describe('joint returns kept as closes arrive', () => {
  it('hold exactly the returns a fresh alignment of the retained closes gives, with the same moments to 1e-9', () => {
    fc.assert(
      fc.property(streams, ({ window, calendars, steps }) => {
        const histories = calendars.map(() => new PriceHistory(2 * window + 1));
        const prices = calendars.map(() => 100);
        const joint = new JointReturns(histories, window);
        let version = 0;
        steps.forEach(([draws, moves, look], time) => {
          calendars.forEach((p, i) => {
            prices[i] = prices[i]! * (1 + moves[i]!);
            if (draws[i]! < p && histories[i]!.add(time, prices[i]!)) version++;
          });
          if (!look && time < steps.length - 1) return;
          joint.update(version);
          const fresh = alignReturns(histories, window);
          expect(columns(joint)).toEqual(fresh.map((s) => [...s]));
          const means = new Float64Array(joint.k);
          const covariance = new Float64Array(joint.k * joint.k);
          joint.moments(means, covariance);
          const expected = covarianceOf(fresh);
          for (let i = 0; i < joint.k; i++) {
            expect(close(means[i]!, expected.means[i]!, 1e-15), `mean ${i}: ${means[i]} vs ${expected.means[i]}`).toBe(true);
            for (let j = 0; j < joint.k; j++) expect(close(covariance[i * joint.k + j]!, expected.covariance[i]![j]!), `covariance ${i},${j}: ${covariance[i * joint.k + j]} vs ${expected.covariance[i]![j]}`).toBe(true);
          }
        });
      }),
      { numRuns: 300 },
    );
  });

  it('one symbol: the returns between consecutive closes, the newest `window`', () => {
    const h = new PriceHistory(21);
    [100, 110, 99, 99].forEach((c, t) => h.add(t, c));
    const joint = new JointReturns([h], 2);
    joint.update(1);
    expect(columns(joint)).toEqual([[99 / 110 - 1, 0]]);
  });

  it('symbols on different calendars are aligned on the times they share', () => {
    const daily = new PriceHistory(10);
    const weekdays = new PriceHistory(10);
    [100, 101, 102, 103].forEach((c, i) => daily.add(i, c));
    [50, 55].forEach((c, i) => weekdays.add(i * 3, c));
    const joint = new JointReturns([daily, weekdays], 10);
    joint.update(1);
    expect(columns(joint)).toEqual([[103 / 100 - 1], [55 / 50 - 1]]);
  });

  it('a million returns later, the running moments still agree with a two-pass computation (no drift)', () => {
    const h = [new PriceHistory(101), new PriceHistory(101)];
    const joint = new JointReturns(h, 50);
    let a = 50_000;
    let b = 3_000;
    let seed = 7;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31 - 0.5) * 0.002;
    for (let t = 0; t < 1_000_000; t++) {
      // A strong drift next to small moves: the case where Σxy − n·x̄ȳ loses digits.
      a *= 1.0005 + random();
      b *= 1.0002 + random();
      h[0]!.add(t, a);
      h[1]!.add(t, b);
      joint.update(t);
    }
    const means = new Float64Array(2);
    const covariance = new Float64Array(4);
    joint.moments(means, covariance);
    const expected = covarianceOf(alignReturns(h, 50));
    expect([...covariance].every((c, n) => close(c, expected.covariance[n >> 1]![n & 1]!))).toBe(true);
  });
});
