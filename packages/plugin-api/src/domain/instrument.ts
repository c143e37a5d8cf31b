/**
 * How a symbol trades: what an order's quantity and prices are rounded to, and the smallest order the venue takes.
 * Every field is optional; what is absent does not constrain. From the run config (`instruments`) or from the data
 * plugin (`DataProvider.instruments`), the config winning field by field.
 */
export interface InstrumentSpec {
  readonly symbol: string;
  /** Limit, stop and target prices are rounded to multiples of it. */
  readonly tickSize?: number;
  /** Quantities are rounded down to multiples of it: 1 for whole shares, 0.00001 for BTC on Binance spot. */
  readonly lotSize?: number;
  /** False: whole units only (a `lotSize` of 1 unless one is given). Default true. */
  readonly fractional?: boolean;
  /** The smallest quantity an order may have. */
  readonly minQuantity?: number;
  /** The largest quantity an order may have. */
  readonly maxQuantity?: number;
  /** The smallest value an order may have (quantity × price × multiplier), in the quote currency. */
  readonly minNotional?: number;
  /** The value of one unit at a price of 1: 1 for shares and spot coins, 50 for an E-mini S&P 500 future. */
  readonly multiplier?: number;
}
