import { FloatRing } from './float-ring.js';
import { checkPeriod, type SingleOutput } from './streaming-indicator.js';

/** Linearly weighted moving average: the newest input weighs `period`, the oldest 1. O(1) via two running sums. */
export class Wma implements SingleOutput {
  readonly warmup: number;
  value = Number.NaN;
  private readonly window: FloatRing;
  private readonly divisor: number;
  private sum = 0;
  private weighted = 0;
  private sinceRebuild = 0;

  constructor(readonly period: number) {
    checkPeriod('WMA', period);
    this.warmup = period;
    this.window = new FloatRing(period);
    this.divisor = (period * (period + 1)) / 2;
  }

  get isStable(): boolean {
    return this.window.full;
  }

  update(x: number): number {
    const n = this.period;
    if (this.window.full) {
      const out = this.window.push(x);
      // Every weight drops by one (losing the whole sum once), the new value enters with weight n.
      this.weighted += n * x - this.sum;
      this.sum += x - out;
      if (++this.sinceRebuild >= n) this.rebuild();
    } else {
      this.window.push(x);
      this.sum += x;
      this.weighted += this.window.size * x;
    }
    if (this.window.full) this.value = this.weighted / this.divisor;
    return this.value;
  }

  private rebuild(): void {
    this.sinceRebuild = 0;
    let s = 0;
    let w = 0;
    for (let i = 0; i < this.period; i++) {
      const v = this.window.at(i);
      s += v;
      w += (i + 1) * v;
    }
    this.sum = s;
    this.weighted = w;
  }

  reset(): void {
    this.window.clear();
    this.sum = 0;
    this.weighted = 0;
    this.sinceRebuild = 0;
    this.value = Number.NaN;
  }
}
