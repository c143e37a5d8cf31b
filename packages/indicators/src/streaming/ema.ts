import { checkPeriod, type SingleOutput } from './streaming-indicator.js';

/** How the first EMA value is chosen. */
export type EmaSeed =
  /** The SMA of the first `period` inputs (TA-Lib). First output at the `period`-th input. */
  | 'sma'
  /** The first input itself (pandas `ewm(adjust=False)`, StockCharts spreadsheets). Output from the first input. */
  | 'first';

/** Exponential moving average with α = 2 / (period + 1). */
export class Ema implements SingleOutput {
  readonly warmup: number;
  readonly alpha: number;
  value = Number.NaN;
  private count = 0;
  private seedSum = 0;

  constructor(
    readonly period: number,
    readonly seed: EmaSeed = 'sma',
  ) {
    checkPeriod('EMA', period);
    this.alpha = 2 / (period + 1);
    this.warmup = seed === 'sma' ? period : 1;
  }

  get isStable(): boolean {
    return this.count >= this.warmup;
  }

  update(x: number): number {
    if (this.count >= this.warmup) return (this.value += this.alpha * (x - this.value));
    this.count++;
    if (this.warmup === 1) return (this.value = x);
    this.seedSum += x;
    if (this.count === this.period) this.value = this.seedSum / this.period;
    return this.value;
  }

  reset(): void {
    this.count = 0;
    this.seedSum = 0;
    this.value = Number.NaN;
  }
}
