/** What the journal's reads return, one row type per table. */

export interface PluginEventRow {
  readonly time: number;
  readonly pluginId: string;
  /** `hook-failure`, `bar-refused`, `events-dropped` or `state` (disabled, failed). */
  readonly kind: string;
  readonly code: string;
  readonly message: string;
}

export interface RunRow {
  readonly id: number;
  readonly label: string;
  readonly mode: string;
  readonly startedAt: number;
  readonly endedAt: number | null;
  readonly status: string;
  readonly summary: unknown;
}

export interface TradeRow {
  readonly strategyId: string;
  readonly symbol: string;
  readonly direction: string;
  readonly quantity: number;
  readonly entryTime: number;
  readonly exitTime: number;
  readonly pnl: number;
  readonly fees: number;
  /** What closed it (`signal`, `reversal`, `stop-loss`, …, `end-of-run`); null in runs journaled before exit reasons. */
  readonly exitReason: string | null;
}

/** A fill as the run booked it, with the strategy whose order it filled and the venue's trade id (live sessions). */
export interface FillRow {
  readonly orderId: string;
  /** '' for a fill of an order the journal holds no row of. */
  readonly strategyId: string;
  readonly time: number;
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly quantity: number;
  readonly price: number;
  readonly fee: number;
  readonly tradeId: string | null;
}

/** A signal the engine did not act on, with why. */
export interface IgnoredSignalRow {
  readonly time: number;
  readonly strategyId: string;
  readonly symbol: string;
  readonly side: string;
  readonly code: string;
  readonly message: string;
}

export interface EquityRow {
  readonly time: number;
  readonly strategyId: string;
  readonly equity: number;
}

export interface DailyReturns {
  readonly days: readonly number[];
  readonly values: readonly number[];
}

/** One trial of an optimisation run (a run of mode `optimize`), as `recordTrial` keeps it. */
export interface TrialRow {
  /** The walk-forward window it belongs to; 0 for a plain sweep. */
  readonly window: number;
  /** Its place in the sweep's order, from 0: a resumed sweep replays trials in this order. */
  readonly seq: number;
  readonly params: Readonly<Record<string, unknown>>;
  /** `ok`, `rejected` (it broke a constraint) or `failed` (the backtest did not finish). */
  readonly status: string;
  /** The objective's value; null when it failed or has none. */
  readonly score: number | null;
  readonly metrics: unknown;
  /** Its returns day by day (days counted from 1970-01-01 UTC), for the overfitting guards and the report. */
  readonly returns: DailyReturns | null;
  readonly elapsedMs: number;
  readonly error: string | null;
}
