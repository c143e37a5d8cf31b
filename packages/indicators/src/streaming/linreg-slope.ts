import { FloatRing } from './float-ring.js';
import { checkPeriod, type SingleOutput } from './streaming-indicator.js';

/**
 * Least-squares slope of the last `period` inputs against their position (0 oldest … period−1 newest), in input
 * units per step (TA-Lib LINEARREG_SLOPE). O(1): Σy and Σxy slide; both are rebuilt every `period` updates.
 */
export class LinRegSlope implements SingleOutput {
  readonly warmup: number;
  value = Number.NaN;
  private readonly window: FloatRing;
  private readonly sumX: number;
  private readonly denominator: number;
  private sumY = 0;
  private sumXY = 0;
  private sinceRebuild = 0;

  constructor(readonly period: number) {
    checkPeriod('linear regression slope', period, 2);
    this.warmup = period;
    this.window = new FloatRing(period);
    const n = period;
    this.sumX = (n * (n - 1)) / 2;
    this.denominator = n * ((n - 1) * n * (2 * n - 1)) / 6 - this.sumX * this.sumX;
  }

  get isStable(): boolean {
    return this.window.full;
  }

  update(y: number): number {
    const n = this.period;
    if (this.window.full) {
      const out = this.window.push(y);
      this.sumXY += (n - 1) * y - (this.sumY - out);
      this.sumY += y - out;
      if (++this.sinceRebuild >= n) this.rebuild();
    } else {
      this.sumXY += this.window.size * y;
      this.window.push(y);
      this.sumY += y;
    }
    if (this.window.full) this.value = (n * this.sumXY - this.sumX * this.sumY) / this.denominator;
    return this.value;
  }

  private rebuild(): void {
    this.sinceRebuild = 0;
    let sy = 0;
    let sxy = 0;
    for (let i = 0; i < this.period; i++) {
      const v = this.window.at(i);
      sy += v;
      sxy += i * v;
    }
    this.sumY = sy;
    this.sumXY = sxy;
  }

  reset(): void {
    this.window.clear();
    this.sumY = 0;
    this.sumXY = 0;
    this.sinceRebuild = 0;
    this.value = Number.NaN;
  }
}
