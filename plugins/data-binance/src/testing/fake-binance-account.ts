import { createHmac, timingSafeEqual } from 'node:crypto';

/** One asset's balance: what can be spent, and what open orders hold. */
export interface FakeBalance {
  free: number;
  locked: number;
}

/** An order as the fake venue keeps it; shaped into Binance's JSON by `orderJson`. */
interface VenueOrder {
  readonly symbol: string;
  readonly orderId: number;
  readonly clientOrderId: string;
  readonly side: 'BUY' | 'SELL';
  readonly type: 'LIMIT' | 'MARKET';
  readonly price: number;
  readonly origQty: number;
  executedQty: number;
  cummulativeQuoteQty: number;
  status: 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'EXPIRED' | 'REJECTED';
  readonly time: number;
  updateTime: number;
}

interface VenueTrade {
  readonly symbol: string;
  readonly id: number;
  readonly orderId: number;
  readonly price: number;
  readonly qty: number;
  readonly quoteQty: number;
  readonly commission: number;
  readonly commissionAsset: string;
  readonly time: number;
  readonly isBuyer: boolean;
  readonly isMaker: boolean;
}

interface MarketRules {
  readonly base: string;
  readonly quote: string;
  readonly tickSize: number;
  readonly minPrice: number;
  readonly stepSize: number;
  readonly minQty: number;
  readonly maxQty: number;
  readonly minNotional: number;
}

/** A private request's answer: the HTTP status and Binance's JSON. */
export interface Answer {
  readonly status: number;
  readonly body: unknown;
}

export interface FakeAccountOptions {
  readonly apiKey: string;
  readonly secret: string;
  /** Starting balances by asset, e.g. `{ USDT: 10_000 }`. */
  readonly balances: Readonly<Record<string, number>>;
  /** Commission rate on every fill, charged in the asset received (Binance's default without BNB). Default 0.001. */
  readonly commission?: number;
  /** The venue's clock; a parameter so tests can move it. */
  readonly now?: () => number;
}

const steps = (value: number, step: number) => Math.abs(value / step - Math.round(value / step)) < 1e-9;
const fixed = (n: number) => n.toFixed(8);
const err = (status: number, code: number, msg: string): Answer => ({ status, body: { code, msg } });

/**
 * The account side of the fake Binance: signed requests checked as Binance checks them (API key header,
 * HMAC-SHA256 of the query and body, timestamp within recvWindow), orders checked against the market's filters and
 * the balance, resting limit orders matched as the price moves, partial fills on request, balances and trades kept
 * to the unit. Execution reports are handed to `onExecution` for the user-data stream.
 */
export class FakeBinanceAccount {
  readonly balances = new Map<string, FakeBalance>();
  private readonly orders = new Map<number, VenueOrder>();
  private readonly trades: VenueTrade[] = [];
  private readonly prices = new Map<string, number>();
  private readonly rules = new Map<string, MarketRules>();
  private nextOrderId = 1_000;
  private nextTradeId = 5_000;
  private readonly now: () => number;
  private readonly commission: number;
  /** Called with each order's new state (and the trade, when it filled), as the user-data stream reports it. */
  onExecution: (order: Readonly<Record<string, unknown>>) => void = () => undefined;

  constructor(
    private readonly options: FakeAccountOptions,
    exchangeInfo: unknown,
  ) {
    this.now = options.now ?? Date.now;
    this.commission = options.commission ?? 0.001;
    for (const [asset, free] of Object.entries(options.balances)) this.balances.set(asset, { free, locked: 0 });
    for (const s of (exchangeInfo as { symbols?: { symbol: string; baseAsset: string; quoteAsset: string; filters: Record<string, string>[] }[] }).symbols ?? []) {
      const filter = (type: string) => s.filters.find((f) => f['filterType'] === type) ?? {};
      const n = (v: string | undefined, fallback = 0) => (v === undefined ? fallback : Number(v));
      const notional = filter('NOTIONAL')['minNotional'] ?? filter('MIN_NOTIONAL')['minNotional'];
      this.rules.set(s.symbol, {
        base: s.baseAsset,
        quote: s.quoteAsset,
        tickSize: n(filter('PRICE_FILTER')['tickSize'], 1e-8),
        minPrice: n(filter('PRICE_FILTER')['minPrice']),
        stepSize: n(filter('LOT_SIZE')['stepSize'], 1e-8),
        minQty: n(filter('LOT_SIZE')['minQty']),
        maxQty: n(filter('LOT_SIZE')['maxQty'], Number.POSITIVE_INFINITY),
        minNotional: n(notional),
      });
    }
  }

  /**
   * Checks a private request as Binance does. `totalParams` is the query string followed by the body, the text
   * Binance signs; answers the error Binance would give, or undefined when the request may go on.
   */
  authenticate(apiKeyHeader: string | undefined, totalParams: string, params: Readonly<Record<string, string>>): Answer | undefined {
    if (apiKeyHeader !== this.options.apiKey) return err(401, -2015, 'Invalid API-key, IP, or permissions for action.');
    const signature = params['signature'];
    if (signature === undefined) return err(400, -1102, "Mandatory parameter 'signature' was not sent, was empty/null, or malformed.");
    const signed = totalParams.replace(/&?signature=[0-9a-fA-F]*/, '');
    const expected = Buffer.from(createHmac('sha256', this.options.secret).update(signed).digest('hex'));
    const given = Buffer.from(signature.toLowerCase());
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return err(400, -1022, 'Signature for this request is not valid.');
    const timestamp = Number(params['timestamp']);
    const recvWindow = Number(params['recvWindow'] ?? 5_000);
    const now = this.now();
    if (!Number.isFinite(timestamp) || timestamp >= now + 1_000 || now - timestamp > recvWindow) return err(400, -1021, 'Timestamp for this request is outside of the recvWindow.');
    return undefined;
  }

  /** Sets the market's last price, filling the resting limit orders it reaches. */
  setPrice(symbol: string, price: number): void {
    this.prices.set(symbol, price);
    for (const order of [...this.orders.values()]) {
      if (order.symbol !== symbol || order.type !== 'LIMIT' || (order.status !== 'NEW' && order.status !== 'PARTIALLY_FILLED')) continue;
      if (order.side === 'BUY' ? price <= order.price : price >= order.price) this.fill(order, order.origQty - order.executedQty, order.price, true);
    }
  }

  /** Fills `quantity` of a working order at its limit (a partial fill when it is less than what is left). */
  fillPartially(orderId: number, quantity: number): void {
    const order = this.orders.get(orderId);
    if (order === undefined || (order.status !== 'NEW' && order.status !== 'PARTIALLY_FILLED')) throw new Error(`order ${orderId} is not working`);
    this.fill(order, Math.min(quantity, order.origQty - order.executedQty), order.price, true);
  }

  /** Every order the venue holds, as Binance's JSON. */
  allOrders(): Record<string, unknown>[] {
    return [...this.orders.values()].map((o) => this.orderJson(o));
  }

  /** Every trade the venue made for the account. */
  allTrades(): Record<string, unknown>[] {
    return this.trades.map((t) => this.tradeJson(t));
  }

  handle(method: string, path: string, params: Readonly<Record<string, string>>): Answer {
    const route = `${method} ${path}`;
    switch (route) {
      case 'GET /api/v3/account':
        return { status: 200, body: this.accountJson() };
      case 'POST /api/v3/order':
        return this.place(params);
      case 'GET /api/v3/order': {
        const order = this.find(params);
        return order === undefined ? err(400, -2013, 'Order does not exist.') : { status: 200, body: this.orderJson(order) };
      }
      case 'DELETE /api/v3/order':
        return this.cancel(params);
      case 'GET /api/v3/openOrders':
        return { status: 200, body: [...this.orders.values()].filter((o) => (o.status === 'NEW' || o.status === 'PARTIALLY_FILLED') && (params['symbol'] === undefined || o.symbol === params['symbol'])).map((o) => this.orderJson(o)) };
      case 'GET /api/v3/myTrades': {
        const from = params['startTime'] === undefined ? Number.NEGATIVE_INFINITY : Number(params['startTime']);
        const fromId = params['fromId'] === undefined ? Number.NEGATIVE_INFINITY : Number(params['fromId']);
        const limit = Math.min(1_000, Number(params['limit'] ?? 500));
        const rows = this.trades.filter((t) => t.symbol === params['symbol'] && t.time >= from && t.id >= fromId).slice(0, limit);
        return { status: 200, body: rows.map((t) => this.tradeJson(t)) };
      }
      case 'POST /api/v3/order/cancelReplace': {
        const cancelled = this.cancel({ symbol: params['symbol'] ?? '', ...(params['cancelOrderId'] === undefined ? {} : { orderId: params['cancelOrderId'] }), ...(params['cancelOrigClientOrderId'] === undefined ? {} : { origClientOrderId: params['cancelOrigClientOrderId'] }) });
        if (cancelled.status !== 200) return { status: 400, body: { code: -2021, msg: 'Order cancel-replace failed.', data: { cancelResult: 'FAILURE', newOrderResult: 'NOT_ATTEMPTED', cancelResponse: cancelled.body, newOrderResponse: null } } };
        const placed = this.place(params);
        if (placed.status !== 200) return { status: 409, body: { code: -2021, msg: 'Order cancel-replace partially failed.', data: { cancelResult: 'SUCCESS', newOrderResult: 'FAILURE', cancelResponse: cancelled.body, newOrderResponse: placed.body } } };
        return { status: 200, body: { cancelResult: 'SUCCESS', newOrderResult: 'SUCCESS', cancelResponse: cancelled.body, newOrderResponse: placed.body } };
      }
    }
    return err(404, -1, `no route ${route}`);
  }

  private find(params: Readonly<Record<string, string>>): VenueOrder | undefined {
    if (params['orderId'] !== undefined) {
      const order = this.orders.get(Number(params['orderId']));
      return order?.symbol === params['symbol'] ? order : undefined;
    }
    // A client order id may be used again once its order is done (a cancel-replace keeps it): the newest is meant.
    const client = params['origClientOrderId'];
    return [...this.orders.values()].reverse().find((o) => o.clientOrderId === client && o.symbol === params['symbol']);
  }

  private place(params: Readonly<Record<string, string>>): Answer {
    const symbol = params['symbol'] ?? '';
    const rules = this.rules.get(symbol);
    if (rules === undefined) return err(400, -1121, 'Invalid symbol.');
    const side = params['side'];
    const type = params['type'];
    if (side !== 'BUY' && side !== 'SELL') return err(400, -1100, "Illegal characters found in parameter 'side'.");
    if (type !== 'LIMIT' && type !== 'MARKET') return err(400, -1116, 'Invalid orderType.');
    const clientOrderId = params['newClientOrderId'] ?? `fake-${this.nextOrderId}`;
    // Binance refuses a client id in use by an open order: the idempotency a retried submit relies on.
    if ([...this.orders.values()].some((o) => o.clientOrderId === clientOrderId && o.symbol === symbol && (o.status === 'NEW' || o.status === 'PARTIALLY_FILLED'))) return err(400, -2010, 'Duplicate order sent.');
    const quantity = Number(params['quantity']);
    if (!(quantity > 0)) return err(400, -1102, "Mandatory parameter 'quantity' was not sent, was empty/null, or malformed.");
    if (quantity < rules.minQty || quantity > rules.maxQty || !steps(quantity, rules.stepSize)) return err(400, -1013, 'Filter failure: LOT_SIZE');
    const last = this.prices.get(symbol);
    let price: number;
    if (type === 'LIMIT') {
      price = Number(params['price']);
      if (!(price > 0)) return err(400, -1102, "Mandatory parameter 'price' was not sent, was empty/null, or malformed.");
      if (price < rules.minPrice || !steps(price, rules.tickSize)) return err(400, -1013, 'Filter failure: PRICE_FILTER');
    } else {
      if (last === undefined) return err(400, -1013, 'Market is closed.');
      price = last;
    }
    if (quantity * price < rules.minNotional) return err(400, -1013, 'Filter failure: NOTIONAL');
    const [asset, needed] = side === 'BUY' ? [rules.quote, quantity * price] : [rules.base, quantity];
    const balance = this.balances.get(asset) ?? { free: 0, locked: 0 };
    if (balance.free + 1e-12 < needed) return err(400, -2010, 'Account has insufficient balance for requested action.');
    balance.free -= needed;
    balance.locked += needed;
    this.balances.set(asset, balance);
    const now = this.now();
    const order: VenueOrder = { symbol, orderId: this.nextOrderId++, clientOrderId, side, type, price: type === 'LIMIT' ? price : 0, origQty: quantity, executedQty: 0, cummulativeQuoteQty: 0, status: 'NEW', time: now, updateTime: now };
    this.orders.set(order.orderId, order);
    this.onExecution(this.executionJson(order, 'NEW'));
    const fills: VenueTrade[] = [];
    if (type === 'MARKET') fills.push(this.fill(order, quantity, price, false));
    else if (last !== undefined && (side === 'BUY' ? last <= price : last >= price)) fills.push(this.fill(order, quantity, price, false));
    return { status: 200, body: { ...this.orderJson(order), transactTime: now, fills: fills.map((t) => ({ price: fixed(t.price), qty: fixed(t.qty), commission: fixed(t.commission), commissionAsset: t.commissionAsset, tradeId: t.id })) } };
  }

  private fill(order: VenueOrder, quantity: number, price: number, maker: boolean): VenueTrade {
    const rules = this.rules.get(order.symbol)!;
    const quote = quantity * price;
    const base = this.balances.get(rules.base) ?? { free: 0, locked: 0 };
    const quoteBalance = this.balances.get(rules.quote) ?? { free: 0, locked: 0 };
    let commission: number;
    let commissionAsset: string;
    if (order.side === 'BUY') {
      // What was held back at the order's price; a market order held at the last price, which it filled at.
      quoteBalance.locked -= quantity * (order.type === 'LIMIT' ? order.price : price);
      commission = quantity * this.commission;
      commissionAsset = rules.base;
      base.free += quantity - commission;
    } else {
      base.locked -= quantity;
      commission = quote * this.commission;
      commissionAsset = rules.quote;
      quoteBalance.free += quote - commission;
    }
    this.balances.set(rules.base, base);
    this.balances.set(rules.quote, quoteBalance);
    order.executedQty += quantity;
    order.cummulativeQuoteQty += quote;
    order.status = order.origQty - order.executedQty <= 1e-12 ? 'FILLED' : 'PARTIALLY_FILLED';
    order.updateTime = this.now();
    const trade: VenueTrade = { symbol: order.symbol, id: this.nextTradeId++, orderId: order.orderId, price, qty: quantity, quoteQty: quote, commission, commissionAsset, time: order.updateTime, isBuyer: order.side === 'BUY', isMaker: maker };
    this.trades.push(trade);
    this.onExecution(this.executionJson(order, 'TRADE', trade));
    return trade;
  }

  private cancel(params: Readonly<Record<string, string>>): Answer {
    const order = this.find(params);
    if (order === undefined || (order.status !== 'NEW' && order.status !== 'PARTIALLY_FILLED')) return err(400, -2011, 'Unknown order sent.');
    const rules = this.rules.get(order.symbol)!;
    const left = order.origQty - order.executedQty;
    const [asset, held] = order.side === 'BUY' ? [rules.quote, left * order.price] : [rules.base, left];
    const balance = this.balances.get(asset)!;
    balance.locked -= held;
    balance.free += held;
    order.status = 'CANCELED';
    order.updateTime = this.now();
    this.onExecution(this.executionJson(order, 'CANCELED'));
    return { status: 200, body: this.orderJson(order) };
  }

  private accountJson(): Record<string, unknown> {
    return {
      makerCommission: 10,
      takerCommission: 10,
      canTrade: true,
      canWithdraw: true,
      canDeposit: true,
      updateTime: this.now(),
      accountType: 'SPOT',
      balances: [...this.balances].map(([asset, b]) => ({ asset, free: fixed(b.free), locked: fixed(b.locked) })),
      permissions: ['SPOT'],
    };
  }

  private orderJson(o: VenueOrder): Record<string, unknown> {
    return {
      symbol: o.symbol, orderId: o.orderId, orderListId: -1, clientOrderId: o.clientOrderId, price: fixed(o.price), origQty: fixed(o.origQty), executedQty: fixed(o.executedQty),
      cummulativeQuoteQty: fixed(o.cummulativeQuoteQty), status: o.status, timeInForce: 'GTC', type: o.type, side: o.side, stopPrice: fixed(0), icebergQty: fixed(0),
      time: o.time, updateTime: o.updateTime, isWorking: true, workingTime: o.time, origQuoteOrderQty: fixed(0), selfTradePreventionMode: 'NONE',
    };
  }

  private tradeJson(t: VenueTrade): Record<string, unknown> {
    return { symbol: t.symbol, id: t.id, orderId: t.orderId, orderListId: -1, price: fixed(t.price), qty: fixed(t.qty), quoteQty: fixed(t.quoteQty), commission: fixed(t.commission), commissionAsset: t.commissionAsset, time: t.time, isBuyer: t.isBuyer, isMaker: t.isMaker, isBestMatch: true };
  }

  /** An executionReport of the user-data stream (Binance's one-letter keys). */
  private executionJson(o: VenueOrder, execution: string, trade?: VenueTrade): Record<string, unknown> {
    return {
      e: 'executionReport', E: this.now(), s: o.symbol, c: o.clientOrderId, S: o.side, o: o.type, f: 'GTC', q: fixed(o.origQty), p: fixed(o.price), P: fixed(0), F: fixed(0), g: -1, C: '',
      x: execution, X: o.status, r: 'NONE', i: o.orderId, l: fixed(trade?.qty ?? 0), z: fixed(o.executedQty), L: fixed(trade?.price ?? 0), n: fixed(trade?.commission ?? 0), N: trade?.commissionAsset ?? null,
      T: trade?.time ?? o.updateTime, t: trade?.id ?? -1, I: 0, w: o.status === 'NEW' || o.status === 'PARTIALLY_FILLED', m: trade?.isMaker ?? false, M: false, O: o.time, Z: fixed(o.cummulativeQuoteQty), Y: fixed(trade?.quoteQty ?? 0), Q: fixed(0),
    };
  }
}
