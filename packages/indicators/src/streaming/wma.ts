import { checkPeriod, type SingleOutput } from './streaming-indicator.js';

/**
 * Linearly weighted moving average: the newest input weighs `period`, the oldest 1. O(1) via two running sums
 * over a circular Float64Array, rebuilt every `period` updates.
 */
export class Wma implements SingleOutput {
  readonly warmup: number;
  value = Number.NaN;
  private readonly window: Float64Array;
  private readonly divisor: number;
  private index = 0;
  private count = 0;
  private sum = 0;
  private weighted = 0;

  constructor(readonly period: number) {
    checkPeriod('WMA', period);
    this.warmup = period;
    this.window = new Float64Array(period);
    this.divisor = (period * (period + 1)) / 2;
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
      // Every weight drops by one (losing the whole sum once) and the new value enters with weight n.
      this.weighted += n * x - this.sum;
      this.sum += x - out;
      if (this.index === 0) this.rebuild();
      return (this.value = this.weighted / this.divisor);
    }
    this.sum += x;
    this.weighted += ++this.count * x;
    if (this.count === n) this.value = this.weighted / this.divisor;
    return this.value;
  }

  /** When `index` is 0 the window is in order, oldest at 0. */
  private rebuild(): void {
    let s = 0;
    let w = 0;
    for (let k = 0; k < this.period; k++) {
      const v = this.window[k]!;
      s += v;
      w += (k + 1) * v;
    }
    this.sum = s;
    this.weighted = w;
  }

  reset(): void {
    this.window.fill(0);
    this.index = 0;
    this.count = 0;
    this.sum = 0;
    this.weighted = 0;
    this.value = Number.NaN;
  }
}
