import type { Broker, BrokerPluginContext, Fill, Order, OrderChanges, OrderIntent, OrderSide, VenueBalance, VenueInfo } from '@trading-orchestrator/plugin-api';
import type { Exchange } from 'ccxt';
import { clientOrderIdOf } from './client-order-id.js';
import type { CcxtBrokerConfig } from './config.js';
import { fillOf, orderOf, type VenueOrder, type VenueTrade } from './order-map.js';
import { PrivateStream } from './private-stream.js';
import { RecentIds } from './recent-ids.js';
import { sleep } from './sleep.js';
import { keyHint, redactor } from './secrets.js';
import { createVenueClient, type Ccxt } from './venue-client.js';

/** What the broker knows of an order it sent. */
interface Sent {
  readonly intent: OrderIntent;
  readonly clientId: string;
  venueId: string | undefined;
  last: Order;
  /** Whether its end (filled, cancelled, …) was reported to the host. */
  ended: boolean;
}

const FINAL = new Set(['filled', 'cancelled', 'rejected', 'expired']);

/**
 * A broker on a real venue through ccxt's unified API. Every order carries the host's id as its client order id,
 * so a submit whose answer was lost is looked up, never sent twice. Fills and order states are polled every
 * `pollMs` and reported to the host with the venue's trade ids (the host books each trade once).
 */
export class CcxtBroker implements Broker {
  private ccxt!: Ccxt;
  /** Places, cancels and amends orders; rate-limited on its own, so polling never holds an order back. */
  private client!: Exchange;
  /** Asks: polling, reconciliation's questions, lookups that are not an order's own. */
  private poller!: Exchange;
  private stream: PrivateStream | undefined;
  /** Trade ids reported to the host, by the stream or the poller: each once. */
  private readonly reported = new RecentIds();
  private readonly sent = new Map<string, Sent>();
  private readonly byVenueId = new Map<string, string>();
  private readonly byClientId = new Map<string, string>();
  /** Per symbol: the time of the newest trade seen, and the ids seen at that time or after. */
  private readonly cursors = new Map<string, { since: number; seen: Set<string> }>();
  private readonly redact: (text: string) => string;
  private polling: Promise<void> | undefined;
  private stopPolling: AbortController | undefined;
  private down = false;

  constructor(
    private readonly config: CcxtBrokerConfig,
    private readonly ctx: BrokerPluginContext<unknown>,
  ) {
    this.redact = redactor([config.apiKey, config.secret]);
  }

  async start(): Promise<void> {
    const { ccxt, client, poller, streamer } = await createVenueClient(this.config);
    this.ccxt = ccxt;
    this.client = client;
    this.poller = poller;
    try {
      await this.client.loadMarkets();
    } catch (error) {
      throw new Error(`${this.config.exchange} could not be reached to load its markets: ${this.describe(error)}`);
    }
    poller.setMarkets(this.client.markets);
    this.stopPolling = new AbortController();
    const signal = AbortSignal.any([this.stopPolling.signal, this.ctx.signal]);
    if (streamer !== undefined) {
      streamer.setMarkets(this.client.markets);
      this.stream = new PrivateStream(
        streamer,
        (trade) => void this.reportStreamed(trade),
        (problem) => this.ctx.logger.warn(problem === undefined ? `the private stream of ${this.config.exchange} is back` : `the private stream of ${this.config.exchange} failed (${this.redact(problem)}); fills come by polling every ${this.config.pollMs} ms until it is back`),
      );
      this.stream.start(signal);
    }
    this.polling = this.poll(signal);
  }

  async stop(): Promise<void> {
    this.stopPolling?.abort();
    await this.stream?.stop();
    await this.polling;
  }

  venue(): VenueInfo {
    return { venue: `${this.config.exchange}${this.config.sandbox ? ' testnet' : ''} (spot)`, account: `API key ${keyHint(this.config.apiKey)}`, live: !this.config.sandbox };
  }

  async submit(intent: OrderIntent): Promise<Order> {
    const clientId = clientOrderIdOf(intent.id);
    const known = this.sent.get(intent.id);
    if (known !== undefined) return known.last;
    const rejected = (reason: string): Order => ({ ...intent, status: 'rejected', filledQuantity: 0, averageFillPrice: Number.NaN, reason, updatedAt: this.ctx.clock.now() });
    if (this.client.markets?.[intent.symbol] === undefined) return rejected(`${this.config.exchange} lists no spot market ${intent.symbol}`);
    let amount: number;
    let price: number | undefined;
    try {
      amount = Number(this.client.amountToPrecision(intent.symbol, intent.quantity));
      price = intent.type === 'limit' && intent.limitPrice !== undefined ? Number(this.client.priceToPrecision(intent.symbol, intent.limitPrice)) : undefined;
    } catch (error) {
      return rejected(`the order does not fit the market's precision: ${this.describe(error)}`);
    }
    const limits = this.client.markets[intent.symbol]!.limits;
    if (!(amount > 0) || amount < (limits?.amount?.min ?? 0)) return rejected(`${intent.quantity} ${intent.symbol} is below the market's minimum quantity (${limits?.amount?.min ?? 'its lot size'})`);
    const notional = amount * (price ?? intent.referencePrice);
    if (notional < (limits?.cost?.min ?? 0)) return rejected(`an order worth ${notional.toFixed(2)} is below the market's minimum notional (${limits?.cost?.min})`);
    const record: Sent = { intent: { ...intent, quantity: amount, ...(price === undefined ? {} : { limitPrice: price }) }, clientId, venueId: undefined, last: { ...intent, status: 'new', filledQuantity: 0, averageFillPrice: Number.NaN, updatedAt: this.ctx.clock.now() }, ended: false };
    this.sent.set(intent.id, record);
    this.byClientId.set(clientId, intent.id);
    this.track(intent.symbol);
    for (let attempt = 0; ; attempt++) {
      try {
        const placed = (await this.client.createOrder(intent.symbol, intent.type === 'limit' ? 'limit' : 'market', intent.side, amount, price, { newClientOrderId: clientId })) as VenueOrder;
        return this.remember(record, placed);
      } catch (error) {
        if (!(error instanceof this.ccxt.NetworkError)) {
          this.sent.delete(intent.id);
          const order = rejected(`${this.config.exchange} refused it: ${this.describe(error)}`);
          record.last = order;
          return order;
        }
        // The answer is lost, not necessarily the order: find it by its client order id before sending anything again.
        const found = await this.lookup(intent.symbol, clientId);
        if (found !== undefined) return this.remember(record, found);
        if (attempt >= 1) {
          this.sent.delete(intent.id);
          return rejected(`${this.config.exchange} could not be reached (${this.describe(error)}); the order was looked up by its client order id ${clientId} and is not at the venue`);
        }
      }
    }
  }

  async cancel(orderId: string): Promise<Order | undefined> {
    const record = this.sent.get(orderId);
    if (record === undefined || FINAL.has(record.last.status)) return undefined;
    try {
      const answer = (await this.client.cancelOrder(record.venueId ?? '', record.intent.symbol, { origClientOrderId: record.clientId })) as VenueOrder;
      // The host learns this end from the answer: it is not reported again.
      record.ended = true;
      this.sent.delete(orderId);
      return this.remember(record, answer);
    } catch (error) {
      if (error instanceof this.ccxt.OrderNotFound) {
        // Filled or ended meanwhile: the venue's state says which.
        const now = await this.lookup(record.intent.symbol, record.clientId);
        return now === undefined ? undefined : this.remember(record, now);
      }
      throw new Error(`cancelling ${orderId} failed: ${this.describe(error)}`);
    }
  }

  async modify(orderId: string, changes: OrderChanges): Promise<Order> {
    const record = this.sent.get(orderId);
    if (record === undefined || FINAL.has(record.last.status)) throw new Error(`order ${orderId} is not working at ${this.config.exchange}`);
    const { symbol } = record.intent;
    const amount = Number(this.client.amountToPrecision(symbol, changes.quantity ?? record.intent.quantity));
    const price = changes.limitPrice ?? record.intent.limitPrice;
    try {
      // Binance's spot cancel-replace: the new order keeps the client order id, so the host's id still finds it.
      const answer = (await this.client.editOrder(record.venueId ?? '', symbol, record.intent.type === 'limit' ? 'limit' : 'market', record.intent.side, amount, price === undefined ? undefined : Number(this.client.priceToPrecision(symbol, price)), { newClientOrderId: record.clientId, cancelReplaceMode: 'STOP_ON_FAILURE' })) as VenueOrder;
      Object.assign(record, { intent: { ...record.intent, quantity: amount, ...(price === undefined ? {} : { limitPrice: price }) } });
      return this.remember(record, answer);
    } catch (error) {
      throw new Error(`changing ${orderId} failed: ${this.describe(error)}`);
    }
  }

  /** Open orders market by market (Binance lists all markets at once only at ten times the request weight). */
  async openOrders(symbols?: readonly string[]): Promise<readonly Order[]> {
    const markets = new Set([...(symbols ?? []), ...this.cursors.keys()]);
    const out: Order[] = [];
    for (const symbol of markets) {
      this.track(symbol);
      for (const o of (await this.poller.fetchOpenOrders(symbol)) as VenueOrder[]) out.push(this.asHostOrder(o));
    }
    return out;
  }

  /**
   * By the client order id the host's id maps to, in its market (or, not named, in each market watched). An order
   * this process did not send (its previous process did) is adopted: followed to its end and cancellable.
   */
  async orderStatus(orderId: string, symbol?: string): Promise<Order | undefined> {
    const record = this.sent.get(orderId);
    const markets = record !== undefined ? [record.intent.symbol] : symbol !== undefined ? [symbol] : [...this.cursors.keys()];
    for (const market of markets) {
      const found = await this.lookup(market, clientOrderIdOf(orderId), this.poller);
      if (found === undefined) continue;
      if (record !== undefined) return this.remember(record, found);
      this.track(market);
      const order = orderOf({ ...found, symbol: market }, undefined, orderId);
      const adopted: Sent = { intent: order, clientId: clientOrderIdOf(orderId), venueId: found.id, last: order, ended: false };
      this.sent.set(orderId, adopted);
      this.byClientId.set(adopted.clientId, orderId);
      return this.remember(adopted, found);
    }
    return undefined;
  }

  /** The venue's trades at or after `since` in the markets this broker has traded or been told of. */
  async fillsSince(since: number, symbols?: readonly string[]): Promise<readonly Fill[]> {
    const out: Fill[] = [];
    for (const symbol of symbols ?? [...this.cursors.keys()]) {
      const trades = (await this.poller.fetchMyTrades(symbol, since)) as VenueTrade[];
      for (const trade of trades) out.push(await this.fillFor(symbol, trade));
    }
    return out.sort((a, b) => a.time - b.time);
  }

  async balances(): Promise<readonly VenueBalance[]> {
    const balance = (await this.poller.fetchBalance()) as unknown as { free: Record<string, number>; used: Record<string, number> };
    return Object.keys(balance.free ?? {}).map((currency) => ({ currency, free: balance.free[currency] ?? 0, locked: balance.used?.[currency] ?? 0 }));
  }

  estimateFill(_symbol: string, side: OrderSide, quantity: number, price: number): { price: number; fee: number } {
    const filled = price * (1 + ((side === 'buy' ? 1 : -1) * this.config.slippageBps) / 10_000);
    return { price: filled, fee: (filled * quantity * this.config.takerFeeBps) / 10_000 };
  }

  /** Watches `symbol`'s trades from now on (the host's reconciliation adds the ones it needs before). */
  track(symbol: string, since = this.ctx.clock.now() - 60_000): void {
    if (!this.cursors.has(symbol)) this.cursors.set(symbol, { since, seen: new Set() });
  }

  private remember(record: Sent, venue: VenueOrder): Order {
    record.venueId = venue.id;
    this.byVenueId.set(venue.id, record.intent.id);
    record.last = orderOf(venue, record.intent, record.intent.id);
    return record.last;
  }

  private asHostOrder(venue: VenueOrder): Order {
    const hostId = (venue.clientOrderId !== undefined ? this.byClientId.get(venue.clientOrderId) : undefined) ?? this.byVenueId.get(venue.id) ?? venue.clientOrderId ?? `venue:${venue.id}`;
    const record = this.sent.get(hostId);
    return record === undefined ? orderOf(venue, undefined, hostId) : this.remember(record, venue);
  }

  /** An order by its client order id; undefined when the venue says it does not have it. */
  private async lookup(symbol: string, clientId: string, via: Exchange = this.client): Promise<VenueOrder | undefined> {
    for (let attempt = 0; attempt < this.config.lookupAttempts; attempt++) {
      try {
        return (await via.fetchOrder('', symbol, { origClientOrderId: clientId })) as VenueOrder;
      } catch (error) {
        if (error instanceof this.ccxt.OrderNotFound) return undefined;
        if (!(error instanceof this.ccxt.NetworkError)) throw new Error(`looking up ${clientId} failed: ${this.describe(error)}`);
        await sleep(Math.min(this.config.pollMs * (attempt + 1), 5_000), this.ctx.signal);
      }
    }
    throw new Error(`${this.config.exchange} did not answer a lookup of order ${clientId} after ${this.config.lookupAttempts} attempts`);
  }

  /** A trade from the stream: its market watched from now on, and reported unless it was already. */
  private async reportStreamed(trade: VenueTrade): Promise<void> {
    if (trade.symbol === undefined || this.client.markets?.[trade.symbol] === undefined) return;
    this.track(trade.symbol);
    await this.reportTrade(trade.symbol, trade);
  }

  /** Reports a venue trade as the host's fill, once per trade id whichever path found it first. */
  private async reportTrade(symbol: string, trade: VenueTrade): Promise<void> {
    if (trade.id !== undefined && this.reported.seen(String(trade.id))) return;
    this.ctx.reportFill(await this.fillFor(symbol, trade));
  }

  private async fillFor(symbol: string, trade: VenueTrade): Promise<Fill> {
    const market = this.client.market(symbol);
    // A streamed trade may come before its order's answer: its execution report names the client order id.
    const clientId = trade.info?.c;
    let hostId = trade.order === undefined ? undefined : (this.byVenueId.get(trade.order) ?? (clientId === undefined ? undefined : this.byClientId.get(clientId)));
    if (hostId === undefined && trade.order !== undefined) {
      // An order from before this process (a restart) or from elsewhere: its client order id says whose it is.
      try {
        const venue = (await this.poller.fetchOrder(trade.order, symbol)) as VenueOrder;
        hostId = (venue.clientOrderId !== undefined ? this.byClientId.get(venue.clientOrderId) : undefined) ?? venue.clientOrderId;
        if (hostId !== undefined) this.byVenueId.set(trade.order, hostId);
      } catch {
        hostId = undefined;
      }
    }
    return fillOf({ ...trade, symbol }, hostId ?? `venue:${trade.order ?? 'unknown'}`, market.base ?? '', market.quote ?? '');
  }

  /** Polls the venue for new trades and for the end of working orders, reporting both. */
  private async poll(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await sleep(this.config.pollMs, signal);
      if (signal.aborted) break;
      await this.pollOnce();
    }
  }

  /**
   * One round of polling. A round that fails reports the connection down (once) and is logged; the next that
   * succeeds reports it up. Returns whether the venue answered.
   */
  async pollOnce(): Promise<boolean> {
    try {
      await this.pollRound();
    } catch (error) {
      if (!this.down) {
        this.down = true;
        this.ctx.reportConnection?.('down', this.describe(error));
      }
      this.ctx.logger.warn(`polling ${this.config.exchange} failed: ${this.describe(error)}`);
      return false;
    }
    if (this.down) {
      this.down = false;
      this.ctx.reportConnection?.('up');
    }
    return true;
  }

  /** New trades of every watched market, then the state of orders still working. */
  private async pollRound(): Promise<void> {
    for (const [symbol, cursor] of this.cursors) {
      const trades = (await this.poller.fetchMyTrades(symbol, cursor.since)) as VenueTrade[];
      for (const trade of trades) {
        const id = String(trade.id);
        if (cursor.seen.has(id)) continue;
        cursor.seen.add(id);
        await this.reportTrade(symbol, trade);
        if ((trade.timestamp ?? 0) > cursor.since) {
          cursor.since = trade.timestamp!;
          // Only ids at the cursor's time can come again.
          for (const old of cursor.seen) if (old !== id) cursor.seen.delete(old);
        }
      }
    }
    for (const record of this.sent.values()) {
      if (record.ended || record.venueId === undefined) continue;
      const found = FINAL.has(record.last.status) ? undefined : await this.lookup(record.intent.symbol, record.clientId, this.poller);
      // A cancel answered while this looked: the host has the end from it.
      if (record.ended) continue;
      const order = found === undefined ? record.last : this.remember(record, found);
      if (!FINAL.has(order.status)) continue;
      // Its end, whichever, after its fills: a fill booked net of a commission in kind leaves the host a sliver
      // short of the order, so the end is what tells it the order is done. Reported once; then forgotten.
      record.ended = true;
      this.ctx.reportOrder(order);
      this.sent.delete(record.intent.id);
    }
  }

  private describe(error: unknown): string {
    return this.redact(error instanceof Error ? error.message : String(error));
  }
}
