import type { Bar, EpochMs } from '../domain/bar.js';
import type { InstrumentSpec } from '../domain/instrument.js';
import type { Quote, Tick } from '../domain/quote.js';
import type { Timeframe } from '../domain/timeframe.js';
import type { PluginLifecycle } from './lifecycle.js';
import type { MaybePromise } from './maybe-promise.js';

export interface HistoricalBarsRequest {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  /** Inclusive open time of the first bar. */
  readonly start: EpochMs;
  /** Exclusive: no bar opening at or after `end`. */
  readonly end: EpochMs;
  readonly signal?: AbortSignal;
}

export interface LiveBarsRequest {
  readonly symbols: readonly string[];
  readonly timeframe: Timeframe;
  readonly signal: AbortSignal;
}

export interface LiveQuotesRequest {
  readonly symbols: readonly string[];
  readonly signal: AbortSignal;
}

export interface LiveTicksRequest {
  readonly symbols: readonly string[];
  readonly signal: AbortSignal;
}

/** A live bar: `closed: false` while the bar is still forming, `closed: true` exactly once when it is final. */
export interface BarUpdate {
  readonly bar: Bar;
  readonly closed: boolean;
}

/** A source of market data. */
export interface DataProvider extends PluginLifecycle {
  /** Pages of bars in ascending time order, with no duplicates across pages. */
  historicalBars(request: HistoricalBarsRequest): AsyncIterable<readonly Bar[]>;
  liveBars?(request: LiveBarsRequest): AsyncIterable<BarUpdate>;
  /** Top of book as the venue pushes it, or as the source polls it; ends when `signal` aborts. */
  liveQuotes?(request: LiveQuotesRequest): AsyncIterable<Quote>;
  /**
   * Every trade print as the venue reports it, in order per symbol; ends when `signal` aborts. A paper or live
   * session hands each to the strategies' `onTick` and publishes it on the `tick` topic.
   */
  liveTicks?(request: LiveTicksRequest): AsyncIterable<Tick>;
  quote?(symbol: string): MaybePromise<Quote>;
  /** Symbols this source can serve. */
  symbols?(): MaybePromise<readonly string[]>;
  /**
   * How the symbols trade (lot size, tick size, minimum order), as the venue says: the host rounds and checks
   * orders with it. A symbol the source knows nothing of is left out.
   */
  instruments?(symbols: readonly string[]): MaybePromise<readonly InstrumentSpec[]>;
}
