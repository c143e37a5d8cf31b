import { checkPeriod, type StreamingIndicator } from './streaming-indicator.js';

/**
 * Average True Range with Wilder's smoothing. True range needs the previous close, so the first one comes from
 * the second bar; the first ATR is the mean of the first `period` true ranges (TA-Lib), at bar `period + 1`.
 */
export class Atr implements StreamingIndicator {
  readonly warmup: number;
  value = Number.NaN;
  private previousClose = Number.NaN;
  private ranges = 0;
  private sum = 0;

  constructor(readonly period: number) {
    checkPeriod('ATR', period);
    this.warmup = period + 1;
  }

  get isStable(): boolean {
    return this.ranges >= this.period;
  }

  update(high: number, low: number, close: number): number {
    const prev = this.previousClose;
    this.previousClose = close;
    if (prev !== prev) return this.value;
    const tr = Math.max(high - low, Math.abs(high - prev), Math.abs(low - prev));
    const n = this.period;
    this.ranges++;
    if (this.ranges < n) {
      this.sum += tr;
    } else if (this.ranges === n) {
      this.value = (this.sum + tr) / n;
    } else {
      this.value = (this.value * (n - 1) + tr) / n;
    }
    return this.value;
  }

  reset(): void {
    this.previousClose = Number.NaN;
    this.ranges = 0;
    this.sum = 0;
    this.value = Number.NaN;
  }
}
