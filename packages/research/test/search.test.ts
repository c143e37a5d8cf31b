import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ParamValues } from '@trading-orchestrator/plugin-api';
import { makeSampler, paramsKey, ResolvedSpace, type Sampler } from '../src/index.js';

const spaceOf = (space: unknown) => {
  const checked = ResolvedSpace.check(space, 'optimize.space');
  if (!checked.ok) throw new Error(JSON.stringify(checked.problems));
  return checked.space;
};

const run = (sampler: Sampler, trials: number, objective: (v: ParamValues) => number) => {
  const tried: { values: ParamValues; score: number }[] = [];
  for (let i = 0; i < trials; i++) {
    const values = sampler.ask();
    if (values === undefined) break;
    const score = objective(values);
    sampler.tell(values, score);
    tried.push({ values, score });
  }
  return tried;
};

const crossover = spaceOf({
  params: { fast: { type: 'int', min: 2, max: 20, step: 2 }, slow: { type: 'int', min: 10, max: 50, step: 10 }, kind: { type: 'choice', values: ['sma', 'ema'] } },
  conditions: ['fast < slow'],
});

describe('a search space', () => {
  it('names each mistake by its path', () => {
    const checked = ResolvedSpace.check({ params: { fast: { type: 'int', min: 10, max: 5 }, rate: { type: 'float', min: 0, max: 1, log: true } }, conditions: ['fast < slower', 'fast is small'] }, 'optimize.space');
    expect(checked.ok).toBe(false);
    const problems = checked.ok ? [] : checked.problems.map((p) => `${p.path}: ${p.message}`);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^optimize\.space\.params\.fast\.max: max \(5\) is below min \(10\)/),
        expect.stringMatching(/^optimize\.space\.params\.rate\.min: a log scale needs min above 0/),
        expect.stringMatching(/^optimize\.space\.conditions\[0\]: .*slower, which is not one of the searched settings/),
        expect.stringMatching(/^optimize\.space\.conditions\[1\]: "fast is small" is not a comparison/),
      ]),
    );
  });

  it('puts every value on its grid and in its range', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (seed) => {
        const space = spaceOf({ params: { n: { type: 'int', min: 3, max: 40, step: 3 }, f: { type: 'float', min: 0.1, max: 0.9, step: 0.1 }, lr: { type: 'float', min: 1e-4, max: 1, log: true } } });
        const values = makeSampler('random', space, seed, 10).ask()!;
        const n = values.n as number;
        const f = values.f as number;
        const lr = values.lr as number;
        return Number.isInteger(n) && (n - 3) % 3 === 0 && n <= 40 && Math.abs(f * 10 - Math.round(f * 10)) < 1e-9 && f >= 0.1 && f <= 0.9 && lr >= 1e-4 && lr <= 1;
      }),
    );
  });
});

describe('grid search', () => {
  it('tries every combination that meets the conditions, once', () => {
    const tried = run(makeSampler('grid', crossover, 1, Number.POSITIVE_INFINITY), 10_000, () => 0);
    // fast 2..20 by 2 (10 values) × slow 10..50 by 10 (5) × 2 kinds, keeping fast < slow: (4 + 9 + 10 + 10 + 10) × 2.
    expect(tried).toHaveLength(86);
    expect(new Set(tried.map((t) => paramsKey(t.values))).size).toBe(86);
    expect(tried.every((t) => (t.values.fast as number) < (t.values.slow as number))).toBe(true);
  });

  it('samples the grid evenly when it tries fewer than all', () => {
    const tried = run(makeSampler('grid', crossover, 3, 20), 20, () => 0);
    expect(new Set(tried.map((t) => t.values.slow)).size).toBeGreaterThan(2);
  });
});

describe('random and TPE search', () => {
  it('propose the same trials for the same seed and scores', () => {
    for (const method of ['random', 'tpe'] as const) {
      const objective = (v: ParamValues) => -Math.abs((v.fast as number) - 8) - Math.abs((v.slow as number) - 30);
      const a = run(makeSampler(method, crossover, 42, 40), 40, objective).map((t) => paramsKey(t.values));
      const b = run(makeSampler(method, crossover, 42, 40), 40, objective).map((t) => paramsKey(t.values));
      expect(a).toEqual(b);
      expect(new Set(a).size).toBe(a.length);
    }
  });

  it('stop when the space is used up', () => {
    const small = spaceOf({ params: { a: { type: 'int', min: 1, max: 3 }, b: { type: 'choice', values: [true, false] } } });
    for (const method of ['random', 'tpe'] as const) expect(run(makeSampler(method, small, 5, 100), 100, () => 0)).toHaveLength(6);
  });

  it('TPE finds a known optimum and beats random search on it', () => {
    const space = spaceOf({ params: { x: { type: 'float', min: -5, max: 5 }, y: { type: 'float', min: -5, max: 5 }, n: { type: 'int', min: 1, max: 200 } } });
    // A bowl with its best value 0 at x = 1.5, y = −2, n = 120.
    const objective = (v: ParamValues) => -(((v.x as number) - 1.5) ** 2) - ((v.y as number) + 2) ** 2 - (((v.n as number) - 120) / 40) ** 2;
    const best = (method: 'random' | 'tpe', seed: number) => Math.max(...run(makeSampler(method, space, seed, 80), 80, objective).map((t) => t.score));
    const seeds = [1, 2, 3, 4, 5];
    const tpe = seeds.map((s) => best('tpe', s));
    const random = seeds.map((s) => best('random', s));
    for (const b of tpe) expect(b).toBeGreaterThan(-0.5);
    expect(tpe.reduce((a, b) => a + b, 0)).toBeGreaterThan(random.reduce((a, b) => a + b, 0));
  });

  it('TPE treats failed trials as the worst', () => {
    const space = spaceOf({ params: { x: { type: 'int', min: 0, max: 100 } } });
    const tried = run(makeSampler('tpe', space, 9, 60), 60, (v) => ((v.x as number) < 50 ? Number.NEGATIVE_INFINITY : -Math.abs((v.x as number) - 80)));
    const late = tried.slice(30).filter((t) => t.score === Number.NEGATIVE_INFINITY).length;
    expect(late).toBeLessThan(10);
    expect(Math.max(...tried.map((t) => t.score)) + 0).toBe(0);
  });
});
