import type { ParamValue, ParamValues } from '@trading-orchestrator/plugin-api';
import { paramsKey, type ResolvedSpace } from '../space/resolved-space.js';
import { CategoricalEstimator, ParzenEstimator } from './parzen.js';
import { drawUnseen } from './random-search.js';
import type { Sampler } from './sampler.js';
import type { SeededRandom } from './seeded-random.js';

export interface TpeOptions {
  /** Random trials before the model is used. Default 10. */
  readonly startupTrials?: number;
  /** Draws from the good trials' density, of which the one most likely good rather than bad is proposed. Default 24. */
  readonly candidates?: number;
}

/**
 * Tree-structured Parzen Estimator (Bergstra, Bardenet, Bengio and Kégl, 2011), with Optuna's defaults: the best
 * min(⌈n/10⌉, 25) trials are "good", the rest "bad"; each setting gets a Parzen density l(x) over the good trials
 * and g(x) over the bad; candidates are drawn from l and the one with the largest l(x)/g(x) (summed over settings
 * in the logarithm, settings taken as independent) is proposed. Combinations that break a condition or were tried
 * are never proposed.
 */
export class TpeSearch implements Sampler {
  private readonly seen = new Set<string>();
  private readonly told: { values: ParamValues; score: number }[] = [];
  private readonly startup: number;
  private readonly candidates: number;

  constructor(
    private readonly space: ResolvedSpace,
    private readonly random: SeededRandom,
    options: TpeOptions = {},
  ) {
    this.startup = options.startupTrials ?? 10;
    this.candidates = options.candidates ?? 24;
  }

  ask(): ParamValues | undefined {
    const values = this.told.length < this.startup ? drawUnseen(this.space, this.random, this.seen) : this.propose();
    if (values !== undefined) this.seen.add(paramsKey(values));
    return values;
  }

  tell(values: ParamValues, score: number): void {
    this.seen.add(paramsKey(values));
    this.told.push({ values, score: Number.isNaN(score) ? Number.NEGATIVE_INFINITY : score });
  }

  private propose(): ParamValues | undefined {
    // A stable sort: ties keep the order they were told in, so a replay splits good from bad the same way.
    const ranked = this.told.map((t, i) => ({ ...t, i })).sort((a, b) => b.score - a.score || a.i - b.i);
    const goodCount = Math.min(Math.ceil(ranked.length / 10), 25);
    const good = ranked.slice(0, goodCount).filter((t) => t.score > Number.NEGATIVE_INFINITY);
    if (good.length === 0) return drawUnseen(this.space, this.random, this.seen);
    const bad = ranked.slice(goodCount);
    const models = this.space.dimensions.map((d) => {
      const coords = (group: typeof ranked) => group.map((t) => d.coordinateOf(t.values[d.name]!));
      if (d.spec.type === 'choice') {
        const k = d.spec.values.length;
        return { d, l: new CategoricalEstimator(coords(good), k), g: new CategoricalEstimator(coords(bad), k) };
      }
      return { d, l: new ParzenEstimator(coords(good), d.low, d.high), g: new ParzenEstimator(coords(bad), d.low, d.high) };
    });
    let best: ParamValues | undefined;
    let bestScore = Number.NEGATIVE_INFINITY;
    // Several rounds when conditions or repeats rule out a whole round of candidates.
    for (let round = 0; round < 20 && best === undefined; round++) {
      for (let c = 0; c < this.candidates; c++) {
        const values: Record<string, ParamValue> = {};
        let score = 0;
        for (const { d, l, g } of models) {
          const x = l.sample(this.random);
          if (d.spec.type === 'choice') values[d.name] = d.spec.values[x]!;
          else values[d.name] = d.valueAt(x);
          score += l.logDensity(x) - g.logDensity(x);
        }
        if (score > bestScore && this.space.allows(values) && !this.seen.has(paramsKey(values))) {
          best = values;
          bestScore = score;
        }
      }
    }
    return best ?? drawUnseen(this.space, this.random, this.seen);
  }
}
