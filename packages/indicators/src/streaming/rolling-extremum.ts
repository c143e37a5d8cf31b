import { checkPeriod, type SingleOutput } from './streaming-indicator.js';

/**
 * Rolling minimum or maximum over `period` inputs with a monotonic deque: amortised O(1) per update, O(period)
 * memory, no allocation.
 */
class RollingExtremum implements SingleOutput {
  readonly warmup: number;
  value = Number.NaN;
  private readonly values: Float64Array;
  private readonly indices: Float64Array;
  private head = 0;
  private length = 0;
  private count = 0;

  constructor(
    readonly period: number,
    private readonly keepsMax: boolean,
  ) {
    checkPeriod(keepsMax ? 'rolling max' : 'rolling min', period);
    this.warmup = period;
    this.values = new Float64Array(period);
    this.indices = new Float64Array(period);
  }

  get isStable(): boolean {
    return this.count >= this.period;
  }

  update(x: number): number {
    const n = this.period;
    const i = this.count++;
    if (this.length > 0 && this.indices[this.head]! <= i - n) {
      this.head = this.head + 1 === n ? 0 : this.head + 1;
      this.length--;
    }
    while (this.length > 0) {
      const tail = (this.head + this.length - 1) % n;
      const v = this.values[tail]!;
      if (this.keepsMax ? v > x : v < x) break;
      this.length--;
    }
    const slot = (this.head + this.length) % n;
    this.values[slot] = x;
    this.indices[slot] = i;
    this.length++;
    if (this.count >= n) this.value = this.values[this.head]!;
    return this.value;
  }

  reset(): void {
    this.head = 0;
    this.length = 0;
    this.count = 0;
    this.value = Number.NaN;
  }
}

export class RollingMax extends RollingExtremum {
  constructor(period: number) {
    super(period, true);
  }
}

export class RollingMin extends RollingExtremum {
  constructor(period: number) {
    super(period, false);
  }
}
