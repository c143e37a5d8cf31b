import type { ExternalAlert } from '../domain/alert.js';
import type { Bar } from '../domain/bar.js';
import type { Fill } from '../domain/order.js';
import type { Position } from '../domain/position.js';
import type { Tick } from '../domain/quote.js';
import type { Signal } from '../domain/signal.js';
import type { PluginLifecycle } from './lifecycle.js';
import type { MaybePromise } from './maybe-promise.js';

/** What a strategy hook returns: nothing (the common case, no allocation), one signal, or several. */
export type SignalOutput = Signal | readonly Signal[] | null | undefined | void;

/** Bars (and optionally ticks) in, signals out. Keep per-symbol state inside the instance. */
export interface Strategy extends PluginLifecycle {
  /** Bars per symbol before signals can be trusted; the engine feeds at least this many before trading. */
  readonly warmupBars: number;
  /** Called once per closed bar, in time order per symbol. */
  onBar(bar: Bar): MaybePromise<SignalOutput>;
  /**
   * A trade print, in a paper or live session whose data plugin streams them (`liveTicks`). A signal made here is
   * queued like one made on a bar and acted on at the symbol's next bar; a backtest has no ticks.
   */
  onTick?(tick: Tick): MaybePromise<SignalOutput>;
  /** An external alert routed to this strategy (see `ExternalAlert`). */
  onAlert?(alert: ExternalAlert): MaybePromise<SignalOutput>;
  /** A fill of one of this strategy's orders, with the strategy's position after it (undefined when flat). */
  onFill?(fill: Fill, position: Position | undefined): MaybePromise<void>;
}
