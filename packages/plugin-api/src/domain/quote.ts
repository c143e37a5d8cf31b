import type { EpochMs } from './bar.js';

/** Top of book, with the last trade when the source has one. */
export interface Quote {
  readonly symbol: string;
  readonly time: EpochMs;
  readonly bid: number;
  readonly ask: number;
  readonly bidSize?: number;
  readonly askSize?: number;
  readonly last?: number;
}

/** One trade print. */
export interface Tick {
  readonly symbol: string;
  readonly time: EpochMs;
  readonly price: number;
  readonly size: number;
  /** The aggressor's side, when the venue reports it. */
  readonly side?: 'buy' | 'sell';
}
