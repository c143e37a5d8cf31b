import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EquitySampler } from './equity-sampler.js';

describe('equity sampler', () => {
  it('keeps every point while there is room', () => {
    const s = new EquitySampler(8);
    for (let i = 0; i < 7; i++) s.add(i, 100 + i, i % 2 === 0);
    expect(s.points()).toEqual(Array.from({ length: 7 }, (_, i) => ({ time: i, equity: 100 + i, exposed: i % 2 === 0 })));
  });

  it('whatever the length: at most capacity + 1 points, evenly spaced, starting with the first and ending with the latest', () => {
    fc.assert(
      fc.property(fc.integer({ min: 4, max: 64 }), fc.integer({ min: 1, max: 5_000 }), (capacity, count) => {
        const s = new EquitySampler(capacity);
        for (let i = 0; i < count; i++) s.add(i * 60_000, 1_000 + i, false);
        const points = s.points();
        const indexes = points.map((p) => p.time / 60_000);
        const strides = new Set(indexes.slice(1, -1).map((x, i) => x - indexes[i]!));
        expect(points.length).toBeLessThanOrEqual(capacity + 1);
        expect(indexes[0]).toBe(0);
        expect(indexes.at(-1)).toBe(count - 1);
        expect(strides.size).toBeLessThanOrEqual(1);
        expect(s.count).toBe(count);
      }),
    );
  });

  it('a sampler restored from its state carries on exactly as the original', () => {
    const a = new EquitySampler(16);
    for (let i = 0; i < 100; i++) a.add(i, i, true);
    const b = new EquitySampler(16);
    b.restore(JSON.parse(JSON.stringify(a.toState())));
    for (let i = 100; i < 250; i++) {
      a.add(i, i, false);
      b.add(i, i, false);
    }
    expect(b.points()).toEqual(a.points());
  });

  it('refuses a capacity too small to thin', () => {
    expect(() => new EquitySampler(2)).toThrow('an equity sampler keeps at least 4 points, got 2');
  });
});
