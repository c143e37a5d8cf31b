import type { Fill, Order, OrderIntent, OrderStatus } from '@trading-orchestrator/plugin-api';

/** The parts of a ccxt order this broker reads. */
export interface VenueOrder {
  readonly id: string;
  readonly clientOrderId?: string | undefined;
  readonly timestamp?: number | undefined;
  readonly lastUpdateTimestamp?: number | undefined;
  readonly symbol: string;
  readonly type?: string | undefined;
  readonly side: string;
  readonly price?: number | undefined;
  readonly amount?: number | undefined;
  readonly filled?: number | undefined;
  readonly average?: number | undefined;
  readonly status?: string | undefined;
}

/** The parts of a ccxt trade this broker reads. */
export interface VenueTrade {
  readonly id?: string | undefined;
  readonly order?: string | undefined;
  readonly timestamp?: number | undefined;
  readonly symbol?: string | undefined;
  readonly side?: string | undefined;
  readonly price: number;
  readonly amount?: number | undefined;
  readonly fee?: { readonly cost?: number | undefined; readonly currency?: string | undefined } | undefined;
  /** The venue's own message; a streamed Binance trade's execution report carries the client order id as `c`. */
  readonly info?: { readonly c?: string | undefined } | undefined;
}

/** ccxt's unified order status as the host's. */
export function statusOf(order: VenueOrder): OrderStatus {
  switch (order.status) {
    case 'open':
      return (order.filled ?? 0) > 0 ? 'partially_filled' : 'accepted';
    case 'closed':
      return 'filled';
    case 'canceled':
      return 'cancelled';
    case 'expired':
      return 'expired';
    case 'rejected':
      return 'rejected';
    default:
      return 'new';
  }
}

/** A venue order as the host's, on the intent it came from (or, for one the host never sent, as the venue tells it). */
export function orderOf(order: VenueOrder, intent: OrderIntent | undefined, hostId: string): Order {
  const status = statusOf(order);
  const base: OrderIntent = intent ?? {
    id: hostId,
    symbol: order.symbol,
    side: order.side === 'sell' ? 'sell' : 'buy',
    quantity: order.amount ?? 0,
    type: order.type === 'limit' ? 'limit' : 'market',
    ...(order.type === 'limit' && order.price !== undefined ? { limitPrice: order.price } : {}),
    reduceOnly: false,
    strategyId: '',
    time: order.timestamp ?? 0,
    referencePrice: order.price ?? order.average ?? 0,
  };
  return {
    ...base,
    status,
    filledQuantity: order.filled ?? 0,
    averageFillPrice: order.average !== undefined && order.average > 0 ? order.average : Number.NaN,
    updatedAt: order.lastUpdateTimestamp ?? order.timestamp ?? 0,
    ...(status === 'cancelled' || status === 'expired' ? { reason: `the venue reports it ${order.status}` } : {}),
  };
}

/**
 * A venue trade as the host's fill of order `hostId`, booked as the account changed. A fee charged in the base
 * asset (Binance's default on a buy) was taken out of what was bought: the fill is the quantity received, and the fee
 * its value at the trade's price, so the session holds what the venue holds and its cash moves by what was paid. A
 * fee in the quote currency is the fee; one in a third asset (BNB) is kept as `commission` only, valued at 0 for
 * want of its price.
 */
export function fillOf(trade: VenueTrade, hostId: string, base: string, quote: string): Fill {
  const amount = trade.amount ?? 0;
  const feeCost = trade.fee?.cost ?? 0;
  const feeCurrency = trade.fee?.currency;
  const inKind = feeCurrency === base && trade.side !== 'sell';
  const fee = feeCurrency === quote ? feeCost : feeCurrency === base ? feeCost * trade.price : 0;
  return {
    orderId: hostId,
    symbol: trade.symbol ?? `${base}/${quote}`,
    side: trade.side === 'sell' ? 'sell' : 'buy',
    quantity: inKind ? amount - feeCost : amount,
    price: trade.price,
    fee,
    time: trade.timestamp ?? 0,
    liquidity: 'taker',
    ...(trade.id === undefined ? {} : { tradeId: String(trade.id) }),
    ...(feeCurrency === undefined ? {} : { commission: { amount: feeCost, currency: feeCurrency } }),
  };
}
