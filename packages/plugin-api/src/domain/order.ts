import type { EpochMs } from './bar.js';
import type { Signal } from './signal.js';

export type OrderSide = 'buy' | 'sell';
export type OrderType = 'market' | 'limit';
/** `expired`: the venue ended it (a time-in-force ran out); `reason` carries the venue's own words for a rejection or an end. */
export type OrderStatus = 'new' | 'accepted' | 'rejected' | 'partially_filled' | 'filled' | 'cancelled' | 'expired';

/** A trailing stop as a broker gets it: a price distance, or a percentage of the best price since the fill. */
export interface OrderTrailingStop {
  readonly distance: number;
  readonly unit: 'price' | 'percent';
}

/** Why a broker (or the engine, at the run's end) made a fill of its own, rather than one of an order sent to it. */
export type ExitReason = 'stop-loss' | 'take-profit' | 'trailing-stop' | 'time-exit' | 'end-of-run';

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
  /** A stop that trails the best price since the fill, for the quantity the order opens or adds. */
  readonly trailingStop?: OrderTrailingStop;
  /** Close the quantity the order opens or adds after this many bars of the symbol, at the next bar's open. */
  readonly exitAfterBars?: number;
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
  /** Set on a fill the broker made on its own (a stop or target hit, a time exit), or the engine at the run's end. */
  readonly exitReason?: ExitReason;
  /** The venue's id of the trade: a fill reported twice (a stream and a poll, a replay after a reconnect) is booked once. */
  readonly tradeId?: string;
  /** The fee as the venue charged it, in the asset it was charged in (`fee` is its value in the account currency). */
  readonly commission?: { readonly amount: number; readonly currency: string };
}
