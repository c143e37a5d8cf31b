import type { EpochMs } from './bar.js';
import type { Timeframe } from './timeframe.js';

/**
 * `buy` and `sell` open a position in that direction, or add to it (as far as the strategy's `pyramiding` allows);
 * a plain `buy` while short, or `sell` while long, closes that position. `exit` closes whatever the strategy holds
 * in the symbol. A `target` or a `delta` says exactly what to do instead, reversals and partial exits included.
 */
export type SignalSide = 'buy' | 'sell' | 'exit';

/** Values that explain a signal: the indicator readings that caused it, thresholds crossed. */
export type SignalMetadata = Readonly<Record<string, number | string | boolean>>;

/**
 * Where a `buy` or `sell` takes the strategy's position in the symbol: long (`buy`) or short (`sell`), `size`
 * large. The engine orders the difference to what the strategy holds and has working, so a `sell` to a short
 * target while long reverses the position with one order, on one bar. A size of 0 flattens.
 */
export interface PositionTarget {
  /** How large the position is to be, never negative: the side gives the direction. 0 flattens. */
  readonly size: number;
  /**
   * - `units` of the symbol (shares, coins, contracts);
   * - `equity`: the position's value as a share of the account's equity (1 = all of it);
   * - `allocation`: its value as a share of the strategy's equity (its allocation and what it made with it);
   * - `entries`: that many of the entries the strategy's sizing rule makes (1 = one ordinary entry).
   */
  readonly unit: 'units' | 'equity' | 'allocation' | 'entries';
}

/**
 * A change of the position by `size`: a `buy` adds to a long or reduces a short, a `sell` the reverse, and an
 * `exit` reduces whatever is held, towards flat and never past it.
 */
export interface PositionDelta {
  /** Greater than 0. */
  readonly size: number;
  /**
   * - `units` of the symbol;
   * - `position`: a share of the position held (0.25 = a quarter of it; at most 1 for an `exit`);
   * - `entries`: that many ordinary entries of the strategy's sizing rule.
   */
  readonly unit: 'units' | 'position' | 'entries';
}

/**
 * A stop that follows the price: for a long, `distance` below the highest high since the entry, moved up at the end
 * of each bar and never down (for a short, above the lowest low).
 */
export interface TrailingStop {
  /** Greater than 0, in `unit`s. */
  readonly distance: number;
  /**
   * - `price`: an amount of the quote currency;
   * - `percent` of the best price (2 = 2%);
   * - `atr`: multiples of the average true range of the signal's series when the order is made.
   */
  readonly unit: 'price' | 'percent' | 'atr';
}

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
  /** Protective stop for the quantity this signal opens or adds. */
  readonly stopLoss?: number;
  /** Profit target for the quantity this signal opens or adds. */
  readonly takeProfit?: number;
  /** A trailing stop for the quantity this signal opens or adds (beside or instead of `stopLoss`). */
  readonly trailingStop?: TrailingStop;
  /**
   * Close the quantity this signal opens or adds after this many bars of the symbol, at the open of the next one:
   * a time exit. A whole number of at least 1.
   */
  readonly exitAfterBars?: number;
  /** Where the position is to be: see `PositionTarget`. Not with `delta`, nor on an `exit`. */
  readonly target?: PositionTarget;
  /** How much the position is to change: see `PositionDelta`. Not with `target`. */
  readonly delta?: PositionDelta;
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
