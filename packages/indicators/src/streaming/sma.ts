import { FloatRing } from './float-ring.js';
import { checkPeriod, type SingleOutput } from './streaming-indicator.js';

/**
 * Simple moving average. The running sum is rebuilt from the window every `period` updates so rounding error
 * cannot accumulate over a long run.
 */
export class Sma implements SingleOutput {
  readonly warmup: number;
  value = Number.NaN;
  private readonly window: FloatRing;
  private sum = 0;
  private sinceRebuild = 0;

  constructor(readonly period: number) {
    checkPeriod('SMA', period);
    this.warmup = period;
    this.window = new FloatRing(period);
  }

  get isStable(): boolean {
    return this.window.full;
  }

  update(x: number): number {
    const out = this.window.push(x);
    if (this.window.full) {
      if (++this.sinceRebuild >= this.period) {
        this.sinceRebuild = 0;
        let s = 0;
        for (let i = 0; i < this.period; i++) s += this.window.at(i);
        this.sum = s;
      } else {
        this.sum += out === out ? x - out : x;
      }
      this.value = this.sum / this.period;
    } else {
      this.sum += x;
    }
    return this.value;
  }

  reset(): void {
    this.window.clear();
    this.sum = 0;
    this.sinceRebuild = 0;
    this.value = Number.NaN;
  }
}
