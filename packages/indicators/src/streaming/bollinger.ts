import { RollingStdDev } from './std-dev.js';
import type { StreamingIndicator } from './streaming-indicator.js';

/**
 * Bollinger Bands: middle = SMA(period), upper/lower = middle ± k·σ with σ the **population** standard deviation
 * of the same window (Bollinger's definition, TA-Lib BBANDS and StockCharts).
 */
export class BollingerBands implements StreamingIndicator {
  readonly warmup: number;
  upper = Number.NaN;
  middle = Number.NaN;
  lower = Number.NaN;
  /** σ of the window. */
  deviation = Number.NaN;
  private readonly sd: RollingStdDev;

  constructor(
    readonly period: number,
    readonly k = 2,
  ) {
    this.sd = new RollingStdDev(period, 'population');
    this.warmup = period;
  }

  get isStable(): boolean {
    return this.sd.isStable;
  }

  /** Returns true once the bands are defined. */
  update(x: number): boolean {
    this.sd.update(x);
    if (!this.sd.isStable) return false;
    this.deviation = this.sd.value;
    this.middle = this.sd.mean;
    this.upper = this.middle + this.k * this.deviation;
    this.lower = this.middle - this.k * this.deviation;
    return true;
  }

  /** Where x sits in the bands: 0 at the lower, 1 at the upper (%b). */
  percentB(x: number): number {
    return (x - this.lower) / (this.upper - this.lower);
  }

  reset(): void {
    this.sd.reset();
    this.upper = this.middle = this.lower = this.deviation = Number.NaN;
  }
}
