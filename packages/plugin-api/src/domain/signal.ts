import type { EpochMs } from './bar.js';
import type { Timeframe } from './timeframe.js';

/**
 * `buy` and `sell` open or add to a position in that direction (a `sell` while long reduces it);
 * `exit` closes whatever the strategy holds in the symbol.
 */
export type SignalSide = 'buy' | 'sell' | 'exit';

/** Values that explain a signal: the indicator readings that caused it, thresholds crossed. */
export type SignalMetadata = Readonly<Record<string, number | string | boolean>>;

export interface Signal {
  readonly symbol: string;
  readonly side: SignalSide;
  /** Confidence in [0, 1]. */
  readonly strength: number;
  /** The time of the bar or tick the signal was computed on. The engine fills it if omitted. */
  readonly time?: EpochMs;
  readonly timeframe?: Timeframe;
  /** Reference price the strategy saw (usually the close). */
  readonly price?: number;
  readonly stopLoss?: number;
  readonly takeProfit?: number;
  /**
   * Enter with a limit order at this price instead of a market order at the next bar's open: it fills on a bar
   * that trades through the price, at the price or better. Only for entries; an exit is a market order.
   */
  readonly limitPrice?: number;
  /**
   * Bars of the symbol a limit entry may wait for its fill; then it is cancelled and the strategy may signal
   * again. A whole number of at least 1; default 1, the next bar only.
   */
  readonly validForBars?: number;
  /** Suggested share of the strategy's allocation to commit, in (0, 1]. Sizing may ignore or cap it. */
  readonly sizeHint?: number;
  /** Human-readable cause, e.g. "golden cross: SMA10 crossed above SMA30". */
  readonly reason?: string;
  readonly metadata?: SignalMetadata;
}
