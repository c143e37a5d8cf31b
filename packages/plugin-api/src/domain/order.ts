import type { EpochMs } from './bar.js';
import type { Signal } from './signal.js';

export type OrderSide = 'buy' | 'sell';
export type OrderType = 'market' | 'limit';
export type OrderStatus = 'new' | 'accepted' | 'rejected' | 'partially_filled' | 'filled' | 'cancelled';

/** What sizing produced from a signal, before the risk gate has seen it. */
export interface OrderIntent {
  readonly id: string;
  readonly symbol: string;
  readonly side: OrderSide;
  /** Always positive; the side gives the direction. */
  readonly quantity: number;
  readonly type: OrderType;
  readonly limitPrice?: number;
  readonly stopLoss?: number;
  readonly takeProfit?: number;
  /** Only reduce an existing position, never open or flip one. */
  readonly reduceOnly: boolean;
  readonly strategyId: string;
  readonly time: EpochMs;
  /** Reference price used for sizing and risk (the last close or quote). */
  readonly referencePrice: number;
  readonly signal?: Signal;
}

/** An intent that passed the risk gate and was handed to a broker, with its current state. */
export interface Order extends OrderIntent {
  readonly status: OrderStatus;
  readonly filledQuantity: number;
  /** Volume-weighted fill price; NaN until something fills. */
  readonly averageFillPrice: number;
  /** Why the order was rejected or cancelled. */
  readonly reason?: string;
  readonly updatedAt: EpochMs;
}

export interface Fill {
  readonly orderId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly quantity: number;
  readonly price: number;
  /** Fee charged for this fill, in the account currency. */
  readonly fee: number;
  readonly time: EpochMs;
  readonly liquidity?: 'maker' | 'taker';
}
