import type { Bar } from '../domain/bar.js';
import type { Fill, Order, OrderIntent, OrderSide } from '../domain/order.js';
import type { PluginContext } from './context.js';
import type { PluginLifecycle } from './lifecycle.js';
import type { MaybePromise } from './maybe-promise.js';

export interface BrokerPluginContext<Config> extends PluginContext<Config> {
  /** For venues that push executions asynchronously: report each fill once. */
  reportFill(fill: Fill): void;
  /** Report a change of an order's state that did not come from `submit` or `cancel` (e.g. expiry). */
  reportOrder(order: Order): void;
}

/** Executes orders that passed the risk gate. The default is the engine's paper broker. */
export interface Broker extends PluginLifecycle {
  /** Accept or reject the order; fills arrive later through `onBar` or `reportFill`. */
  submit(intent: OrderIntent): MaybePromise<Order>;
  /** Cancels an open order; undefined when the id is unknown or the order is already final. */
  cancel(orderId: string): MaybePromise<Order | undefined>;
  openOrders?(): MaybePromise<readonly Order[]>;
  /** Simulated brokers fill against each bar and return the fills it produced. */
  onBar?(bar: Bar): MaybePromise<readonly Fill[] | void>;
  /**
   * The price a market order of `quantity` would likely fill at when the market is at `price`, and its fee in
   * the account currency: the host checks buying power with it before it sends an order. Synchronous, and
   * without side effects. Without it the host adds the run's `account.costAllowanceBps` to the price instead.
   */
  estimateFill?(symbol: string, side: OrderSide, quantity: number, price: number): { readonly price: number; readonly fee: number };
}
