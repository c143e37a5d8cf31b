import { normalCdf, normalPdf } from '../guards/normal.js';
import type { SeededRandom } from './seeded-random.js';

/**
 * A Parzen (kernel) density on [low, high] in the form TPE uses: one truncated normal per observation plus a broad
 * prior component centred on the interval, each normal as wide as the larger gap to its neighbours, clipped so no
 * kernel is narrower than the interval over min(100, 1 + n) nor wider than the interval.
 */
export class ParzenEstimator {
  private readonly mus: number[];
  private readonly sigmas: number[];
  private readonly masses: number[];
  private readonly low: number;
  private readonly high: number;

  constructor(observations: readonly number[], low: number, high: number) {
    const span = high - low || 1;
    const points = [...observations, (low + high) / 2].sort((a, b) => a - b);
    const minSigma = span / Math.min(100, 1 + observations.length);
    this.mus = points;
    this.sigmas = points.map((mu, i) => {
      const left = mu - (i === 0 ? low : points[i - 1]!);
      const right = (i === points.length - 1 ? high : points[i + 1]!) - mu;
      return Math.min(span, Math.max(minSigma, left, right));
    });
    // The prior is as wide as the interval, whatever its neighbours.
    const prior = points.indexOf((low + high) / 2);
    this.sigmas[prior] = span;
    this.masses = this.mus.map((mu, i) => Math.max(1e-12, normalCdf((high - mu) / this.sigmas[i]!) - normalCdf((low - mu) / this.sigmas[i]!)));
    this.low = low;
    this.high = high;
  }

  /** A draw: a component chosen evenly, then its truncated normal by rejection (clamped after 100 misses). */
  sample(random: SeededRandom): number {
    const i = random.below(this.mus.length);
    for (let k = 0; k < 100; k++) {
      const x = this.mus[i]! + this.sigmas[i]! * random.normal();
      if (x >= this.low && x <= this.high) return x;
    }
    return Math.min(this.high, Math.max(this.low, this.mus[i]!));
  }

  logDensity(x: number): number {
    let sum = 0;
    for (let i = 0; i < this.mus.length; i++) sum += normalPdf((x - this.mus[i]!) / this.sigmas[i]!) / (this.sigmas[i]! * this.masses[i]!);
    return Math.log(sum / this.mus.length + 1e-300);
  }
}

/** The same for a categorical setting: each choice's share of the observations, with one prior count spread evenly. */
export class CategoricalEstimator {
  private readonly weights: number[];

  constructor(observations: readonly number[], choices: number) {
    this.weights = new Array<number>(choices).fill(1 / choices);
    for (const k of observations) this.weights[k]! += 1;
    const total = this.weights.reduce((a, b) => a + b, 0);
    for (let k = 0; k < choices; k++) this.weights[k]! /= total;
  }

  sample(random: SeededRandom): number {
    let u = random.next();
    for (let k = 0; k < this.weights.length; k++) {
      u -= this.weights[k]!;
      if (u < 0) return k;
    }
    return this.weights.length - 1;
  }

  logDensity(k: number): number {
    return Math.log(this.weights[k]!);
  }
}
