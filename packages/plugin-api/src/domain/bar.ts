import type { Timeframe } from './timeframe.js';

/** Epoch milliseconds, UTC. */
export type EpochMs = number;

/** One OHLCV bar. `time` is the bar's open time; a bar is final once `time + timeframe` has passed. */
export interface Bar {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly time: EpochMs;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  /** Volume in the base asset (shares, coins). */
  readonly volume: number;
}
