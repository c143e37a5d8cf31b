import { checkPeriod, type SingleOutput } from './streaming-indicator.js';

/**
 * Simple moving average over a circular Float64Array. The running sum is rebuilt from the window every
 * `period` updates so rounding error cannot accumulate over a long run.
 */
export class Sma implements SingleOutput {
  readonly warmup: number;
  value = Number.NaN;
  private readonly window: Float64Array;
  private index = 0;
  private count = 0;
  private sum = 0;

  constructor(readonly period: number) {
    checkPeriod('SMA', period);
    this.warmup = period;
    this.window = new Float64Array(period);
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
      if (this.index === 0) {
        let s = 0;
        for (let k = 0; k < n; k++) s += this.window[k]!;
        this.sum = s;
      } else {
        this.sum += x - out;
      }
      return (this.value = this.sum / n);
    }
    this.sum += x;
    if (++this.count === n) this.value = this.sum / n;
    return this.value;
  }

  reset(): void {
    this.window.fill(0);
    this.index = 0;
    this.count = 0;
    this.sum = 0;
    this.value = Number.NaN;
  }
}
