import { checkPeriod, type SingleOutput } from './streaming-indicator.js';

/**
 * Rolling standard deviation over `period` inputs, population convention (divide by N, as TA-Lib STDDEV and
 * Bollinger's original bands) or sample (N − 1). Mean and squared deviations slide with a Welford step, which
 * stays accurate for prices far from zero where sum-of-squares formulas cancel catastrophically; both are
 * recomputed from the window every `period` updates, so the error a value far larger than the rest leaves
 * behind lasts at most two windows.
 */
export class RollingStdDev implements SingleOutput {
  readonly warmup: number;
  value = Number.NaN;
  /** Mean of the window (NaN before warm-up). */
  mean = Number.NaN;
  private readonly window: Float64Array;
  private readonly divisor: number;
  private index = 0;
  private count = 0;
  private runningMean = 0;
  private m2 = 0;

  constructor(
    readonly period: number,
    readonly convention: 'population' | 'sample' = 'population',
  ) {
    checkPeriod('standard deviation', period, convention === 'sample' ? 2 : 1);
    this.warmup = period;
    this.window = new Float64Array(period);
    this.divisor = convention === 'population' ? period : period - 1;
  }

  get isStable(): boolean {
    return this.count >= this.period;
  }

  update(x: number): number {
    const n = this.period;
    const i = this.index;
    const out = this.window[i]!;
    this.window[i] = x;
    this.index = i + 1 === n ? 0 : i + 1;
    if (this.count >= n) {
      const oldMean = this.runningMean;
      const mean = oldMean + (x - out) / n;
      this.runningMean = mean;
      this.m2 += (x - out) * (x - mean + out - oldMean);
      if (this.index === 0) this.rebuild();
    } else {
      const delta = x - this.runningMean;
      this.runningMean += delta / ++this.count;
      this.m2 += delta * (x - this.runningMean);
      if (this.count < n) return this.value;
    }
    this.mean = this.runningMean;
    return (this.value = Math.sqrt(this.m2 > 0 ? this.m2 / this.divisor : 0));
  }

  private rebuild(): void {
    const n = this.period;
    let mean = 0;
    for (let k = 0; k < n; k++) mean += this.window[k]!;
    mean /= n;
    let m2 = 0;
    for (let k = 0; k < n; k++) {
      const d = this.window[k]! - mean;
      m2 += d * d;
    }
    this.runningMean = mean;
    this.m2 = m2;
  }

  reset(): void {
    this.window.fill(0);
    this.index = 0;
    this.count = 0;
    this.runningMean = 0;
    this.m2 = 0;
    this.value = Number.NaN;
    this.mean = Number.NaN;
  }
}
