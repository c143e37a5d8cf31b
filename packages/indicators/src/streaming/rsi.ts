import { checkPeriod, type SingleOutput } from './streaming-indicator.js';

/**
 * Relative Strength Index with Wilder's smoothing (α = 1/period). The first average gain and loss are the simple
 * means of the first `period` changes (Wilder, TA-Lib), so the first output comes at input `period + 1`.
 * A window with no losses reads 100, with no gains 0, with neither 50.
 */
export class Rsi implements SingleOutput {
  readonly warmup: number;
  value = Number.NaN;
  private previous = Number.NaN;
  private changes = 0;
  private avgGain = 0;
  private avgLoss = 0;

  constructor(readonly period: number) {
    checkPeriod('RSI', period);
    this.warmup = period + 1;
  }

  get isStable(): boolean {
    return this.changes >= this.period;
  }

  update(x: number): number {
    const prev = this.previous;
    this.previous = x;
    if (prev !== prev) return this.value;
    const change = x - prev;
    const gain = change > 0 ? change : 0;
    const loss = change < 0 ? -change : 0;
    const n = this.period;
    this.changes++;
    if (this.changes <= n) {
      this.avgGain += gain / n;
      this.avgLoss += loss / n;
      if (this.changes < n) return this.value;
    } else {
      this.avgGain = (this.avgGain * (n - 1) + gain) / n;
      this.avgLoss = (this.avgLoss * (n - 1) + loss) / n;
    }
    const total = this.avgGain + this.avgLoss;
    this.value = total === 0 ? 50 : (100 * this.avgGain) / total;
    return this.value;
  }

  reset(): void {
    this.previous = Number.NaN;
    this.changes = 0;
    this.avgGain = 0;
    this.avgLoss = 0;
    this.value = Number.NaN;
  }
}
