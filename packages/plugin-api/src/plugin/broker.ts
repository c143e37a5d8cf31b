import type { Bar } from '../domain/bar.js';
import type { Fill, Order, OrderIntent, OrderSide } from '../domain/order.js';
import type { PluginContext } from './context.js';
import type { PluginLifecycle } from './lifecycle.js';
import type { MaybePromise } from './maybe-promise.js';

export interface BrokerPluginContext<Config> extends PluginContext<Config> {
  /**
   * For venues that push executions asynchronously: report each fill as you learn of it, with its `tradeId`. The
   * host books it in turn with the bars; one it has seen (the same `tradeId`) is dropped, so report freely.
   */
  reportFill(fill: Fill): void;
  /** Report a change of an order's state that did not come from `submit` or `cancel` (e.g. expiry). */
  reportOrder(order: Order): void;
  /**
   * Report the venue's connection going down and coming back (a dropped private stream). While it is down and until
   * the host has reconciled after it, new entries are denied.
   */
  reportConnection?(state: 'down' | 'up', detail?: string): void;
}

/** One asset held at the venue: what is free to trade and what open orders hold. */
export interface VenueBalance {
  readonly currency: string;
  readonly free: number;
  readonly locked: number;
}

/** What `modify` may change of a working order. */
export interface OrderChanges {
  readonly quantity?: number;
  readonly limitPrice?: number;
}

/** Which venue and account a broker trades, said before a live session starts (never a key or a secret). */
export interface VenueInfo {
  /** e.g. `binance (spot)`, `binance testnet (spot)`. */
  readonly venue: string;
  /** Something that tells accounts apart without revealing a secret, e.g. the API key's first and last 4 characters. */
  readonly account: string;
  /** Whether it trades real money (false for a testnet or a paper venue). */
  readonly live: boolean;
}

/**
 * Executes orders that passed the risk gate. The default is the engine's paper broker. A broker to a real venue
 * sends `intent.id` as the venue's client order id (the idempotency key: a submit retried after a lost answer must
 * find the order by it rather than place a second one) and implements the optional methods below, which the host's
 * reconciliation and kill switch use.
 */
export interface Broker extends PluginLifecycle {
  /**
   * Accept or reject the order; fills arrive later through `onBar` or `reportFill`. A rejection carries the venue's
   * reason. When the venue's answer is lost, look the order up by `intent.id` before anything is sent again.
   */
  submit(intent: OrderIntent): MaybePromise<Order>;
  /** Cancels an open order; undefined when the id is unknown or the order is already final. */
  cancel(orderId: string): MaybePromise<Order | undefined>;
  /** Amends a working order (or cancels and replaces it where the venue cannot amend), keeping its id. */
  modify?(orderId: string, changes: OrderChanges): MaybePromise<Order>;
  /**
   * The venue's working orders: the ones this host sent (by their ids) and any others, which reconciliation names.
   * `symbols`: the session's markets, for venues that list open orders one market at a time.
   */
  openOrders?(symbols?: readonly string[]): MaybePromise<readonly Order[]>;
  /**
   * An order's state at the venue by the id the host gave it; undefined when the venue never had it. `symbol`: its
   * market, which the host always knows (a restarted session asks about orders its previous process sent, which this
   * broker instance never saw). The broker keeps following an order it finds so (its fills, its end, a cancel).
   */
  orderStatus?(orderId: string, symbol?: string): MaybePromise<Order | undefined>;
  /** The venue's fills at or after `since` (epoch ms) in `symbols`, each with its `tradeId`, oldest first. */
  fillsSince?(since: number, symbols?: readonly string[]): MaybePromise<readonly Fill[]>;
  /** What the account holds at the venue. */
  balances?(): MaybePromise<readonly VenueBalance[]>;
  /** The venue and account it trades, for the live session's confirmation. */
  venue?(): MaybePromise<VenueInfo>;
  /** Simulated brokers fill against each bar and return the fills it produced. */
  onBar?(bar: Bar): MaybePromise<readonly Fill[] | void>;
  /**
   * The price a market order of `quantity` would likely fill at when the market is at `price`, and its fee in
   * the account currency: the host checks buying power with it before it sends an order. Synchronous, and
   * without side effects. Without it the host adds the run's `account.costAllowanceBps` to the price instead.
   */
  estimateFill?(symbol: string, side: OrderSide, quantity: number, price: number): { readonly price: number; readonly fee: number };
}
