import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parameterStability, ResolvedSpace, walkForwardWindows } from '../src/index.js';

const DAY = 86_400_000;

describe('walk-forward windows', () => {
  it('never let a test span overlap its in-sample span or another test span', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), fc.integer({ min: 30, max: 2000 }), fc.integer({ min: 1, max: 400 }), fc.integer({ min: 1, max: 200 }), fc.boolean(), (start, days, inDays, outDays, anchored) => {
        const windows = walkForwardWindows({ start, end: start + days * DAY, inSampleMs: inDays * DAY, outOfSampleMs: outDays * DAY, anchored });
        windows.forEach((w, i) => {
          expect(w.inSample.end).toBe(w.outOfSample.start);
          expect(w.inSample.start).toBeGreaterThanOrEqual(start);
          expect(w.outOfSample.end).toBeLessThanOrEqual(start + days * DAY);
          expect(w.outOfSample.end - w.outOfSample.start).toBe(outDays * DAY);
          expect(w.inSample.start).toBe(anchored ? start : w.outOfSample.start - inDays * DAY);
          if (i > 0) expect(w.outOfSample.start).toBe(windows[i - 1]!.outOfSample.end);
        });
        expect(windows.length).toBe(Math.max(0, Math.floor((days - inDays) / outDays)));
      }),
    );
  });
});

describe('parameter stability', () => {
  const space = ResolvedSpace.check({ params: { n: { type: 'int', min: 0, max: 100 }, kind: { type: 'choice', values: ['a', 'b', 'c'] } } }, 'space');
  if (!space.ok) throw new Error('bad space');

  it('is 1 for the same choice in every window', () => {
    const s = parameterStability(space.space, [{ n: 40, kind: 'a' }, { n: 40, kind: 'a' }, { n: 40, kind: 'a' }]);
    expect(s.map((p) => p.stability)).toEqual([1, 1]);
  });

  it('falls as the choices spread', () => {
    const [n, kind] = parameterStability(space.space, [{ n: 0, kind: 'a' }, { n: 100, kind: 'b' }, { n: 50, kind: 'a' }, { n: 10, kind: 'c' }]);
    expect(n!.stability).toBeLessThan(0.2);
    expect(kind!.stability).toBe(0.5);
  });
});
