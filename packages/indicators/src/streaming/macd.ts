import { Ema, type EmaSeed } from './ema.js';
import { checkPeriod, type StreamingIndicator } from './streaming-indicator.js';

/**
 * MACD = EMA(fast) − EMA(slow); signal = EMA(signalPeriod) of MACD; histogram = MACD − signal.
 *
 * With the default `sma` seed this matches TA-Lib: both EMAs start at the slow EMA's first output, the fast one
 * seeded with the SMA of the `fast` inputs ending there, and the signal line seeded with the SMA of the first
 * `signalPeriod` MACD values. First output at input slow + signal − 1 (34 for 12/26/9). With the `first` seed
 * every EMA starts at its first input (StockCharts spreadsheets) and outputs from the first input.
 */
export class Macd implements StreamingIndicator {
  readonly warmup: number;
  macd = Number.NaN;
  signal = Number.NaN;
  histogram = Number.NaN;
  private readonly fastEma: Ema;
  private readonly slowEma: Ema;
  private readonly signalEma: Ema;
  private count = 0;

  constructor(
    readonly fast = 12,
    readonly slow = 26,
    readonly signalPeriod = 9,
    readonly seed: EmaSeed = 'sma',
  ) {
    checkPeriod('MACD fast', fast);
    checkPeriod('MACD slow', slow);
    checkPeriod('MACD signal', signalPeriod);
    if (slow <= fast) throw new RangeError(`MACD slow period (${slow}) must be greater than the fast period (${fast})`);
    this.fastEma = new Ema(fast, seed);
    this.slowEma = new Ema(slow, seed);
    this.signalEma = new Ema(signalPeriod, seed);
    this.warmup = seed === 'sma' ? slow + signalPeriod - 1 : 1;
  }

  get isStable(): boolean {
    return this.signalEma.isStable;
  }

  /** Returns true once MACD, signal and histogram are all defined. */
  update(x: number): boolean {
    this.count++;
    // TA-Lib aligns the fast EMA so its seed window ends where the slow one's does.
    if (this.seed === 'first' || this.count > this.slow - this.fast) this.fastEma.update(x);
    this.slowEma.update(x);
    if (!this.slowEma.isStable) return false;
    this.macd = this.fastEma.value - this.slowEma.value;
    this.signalEma.update(this.macd);
    if (!this.signalEma.isStable) return false;
    this.signal = this.signalEma.value;
    this.histogram = this.macd - this.signal;
    return true;
  }

  reset(): void {
    this.fastEma.reset();
    this.slowEma.reset();
    this.signalEma.reset();
    this.count = 0;
    this.macd = this.signal = this.histogram = Number.NaN;
  }
}
