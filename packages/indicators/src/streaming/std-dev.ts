import { FloatRing } from './float-ring.js';
import { checkPeriod, type SingleOutput } from './streaming-indicator.js';

/**
 * Rolling standard deviation over `period` inputs, population convention (divide by N, as TA-Lib STDDEV and
 * Bollinger's original bands). Mean and squared deviations are updated with a sliding Welford step, which stays
 * accurate for prices far from zero where sum-of-squares formulas cancel catastrophically.
 */
export class RollingStdDev implements SingleOutput {
  readonly warmup: number;
  value = Number.NaN;
  /** Mean of the window (NaN before warm-up). */
  mean = Number.NaN;
  private readonly window: FloatRing;
  private runningMean = 0;
  private m2 = 0;
  private sinceRebuild = 0;

  constructor(
    readonly period: number,
    /** 'population' divides by N, 'sample' by N - 1. */
    readonly convention: 'population' | 'sample' = 'population',
  ) {
    checkPeriod('standard deviation', period, convention === 'sample' ? 2 : 1);
    this.warmup = period;
    this.window = new FloatRing(period);
  }

  get isStable(): boolean {
    return this.window.full;
  }

  update(x: number): number {
    if (this.window.full) {
      const out = this.window.push(x);
      const oldMean = this.runningMean;
      this.runningMean = oldMean + (x - out) / this.period;
      this.m2 += (x - out) * (x - this.runningMean + out - oldMean);
      if (this.m2 < 0) this.m2 = 0;
      // A value far larger than the rest leaves rounding error behind when it slides out; recomputing from the
      // window every `period` updates bounds that error to the last two windows, at O(1) amortised cost.
      if (++this.sinceRebuild >= this.period) this.rebuild();
    } else {
      this.window.push(x);
      const n = this.window.size;
      const delta = x - this.runningMean;
      this.runningMean += delta / n;
      this.m2 += delta * (x - this.runningMean);
    }
    if (this.window.full) {
      this.mean = this.runningMean;
      this.value = Math.sqrt(this.m2 / (this.convention === 'population' ? this.period : this.period - 1));
    }
    return this.value;
  }

  private rebuild(): void {
    this.sinceRebuild = 0;
    let mean = 0;
    for (let i = 0; i < this.period; i++) mean += this.window.at(i);
    mean /= this.period;
    let m2 = 0;
    for (let i = 0; i < this.period; i++) m2 += (this.window.at(i) - mean) ** 2;
    this.runningMean = mean;
    this.m2 = m2;
  }

  reset(): void {
    this.window.clear();
    this.sinceRebuild = 0;
    this.runningMean = 0;
    this.m2 = 0;
    this.value = Number.NaN;
    this.mean = Number.NaN;
  }
}
