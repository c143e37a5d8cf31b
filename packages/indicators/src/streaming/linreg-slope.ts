import { checkPeriod, type SingleOutput } from './streaming-indicator.js';

/**
 * Least-squares slope of the last `period` inputs against their position (0 oldest … period−1 newest), in input
 * units per step (TA-Lib LINEARREG_SLOPE). O(1): Σy and Σxy slide over a circular Float64Array and are rebuilt
 * every `period` updates.
 */
export class LinRegSlope implements SingleOutput {
  readonly warmup: number;
  value = Number.NaN;
  private readonly window: Float64Array;
  private readonly sumX: number;
  private readonly denominator: number;
  private index = 0;
  private count = 0;
  private sumY = 0;
  private sumXY = 0;

  constructor(readonly period: number) {
    checkPeriod('linear regression slope', period, 2);
    this.warmup = period;
    this.window = new Float64Array(period);
    const n = period;
    this.sumX = (n * (n - 1)) / 2;
    this.denominator = (n * ((n - 1) * n * (2 * n - 1))) / 6 - this.sumX * this.sumX;
  }

  get isStable(): boolean {
    return this.count >= this.period;
  }

  update(y: number): number {
    const n = this.period;
    const i = this.index;
    const out = this.window[i]!;
    this.window[i] = y;
    this.index = i + 1 === n ? 0 : i + 1;
    if (this.count >= n) {
      this.sumXY += (n - 1) * y - (this.sumY - out);
      this.sumY += y - out;
      if (this.index === 0) this.rebuild();
      return (this.value = (n * this.sumXY - this.sumX * this.sumY) / this.denominator);
    }
    this.sumXY += this.count * y;
    this.sumY += y;
    if (++this.count === n) this.value = (n * this.sumXY - this.sumX * this.sumY) / this.denominator;
    return this.value;
  }

  /** When `index` is 0 the window is in order, oldest at 0. */
  private rebuild(): void {
    let sy = 0;
    let sxy = 0;
    for (let k = 0; k < this.period; k++) {
      const v = this.window[k]!;
      sy += v;
      sxy += k * v;
    }
    this.sumY = sy;
    this.sumXY = sxy;
  }

  reset(): void {
    this.window.fill(0);
    this.index = 0;
    this.count = 0;
    this.sumY = 0;
    this.sumXY = 0;
    this.value = Number.NaN;
  }
}
