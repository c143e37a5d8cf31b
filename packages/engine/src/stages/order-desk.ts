import { HOOK_FAILED, type RiskVerdict } from '@trading-orchestrator/core-manager';
import type { Bar, Broker, Order, OrderIntent, OrderTrailingStop, Signal } from '@trading-orchestrator/plugin-api';
import { affordable, claimOf, NO_CLAIM, type Claim, type FillEstimate, type Wallet } from '../account/buying-power.js';
import { orderSizeProblem, roundPrice, roundQuantity, withoutDust, type Instrument } from '../instruments/instruments.js';
import { planOrder, type PlannedOrder } from '../orders/order-plan.js';
import { RequestSizes, UNSIZED } from '../orders/request-sizes.js';
import type { OrderRequest, WorkingOrder } from '../run/engine-types.js';
import type { PositionTrack } from '../run/position-track.js';
import type { RunContext } from '../run/run-context.js';

/** An order made from a request, on its way through the risk gate to the broker. */
interface Outgoing {
  readonly track: PositionTrack;
  readonly request: OrderRequest;
  readonly intent: OrderIntent;
  /** Units of it that only close the position held. */
  readonly closes: number;
  readonly instrument: Instrument;
  readonly estimate: FillEstimate;
}

/** Verdicts that mean a risk plugin could not answer, not that it said no. */
const FAILED_TO_ANSWER = new Set(['RISK_PLUGIN_FAILED', 'RISK_PLUGIN_TIMEOUT', 'RISK_PLUGIN_UNAVAILABLE']);

type Maybe<T> = T | typeof HOOK_FAILED | Promise<T | typeof HOOK_FAILED>;

/**
 * The order stage of a bar. A signal is queued as a request when it is made and becomes an order at the start of
 * its symbol's next bar, before the broker sees that bar: so it is sized, checked for money and by the risk gate
 * at the price the order will actually meet (the open), and fills on that bar. Working limit orders count down
 * their bars there too, and expire. Nothing a plugin gets here can change the position's bookkeeping: the desk
 * owns the working orders and their claims on buying power.
 */
export class OrderDesk {
  /** Reused for every request: a plan is made and done with before the next. */
  private readonly sizes = new RequestSizes();

  constructor(private readonly ctx: RunContext) {}

  /**
   * Whether a plain signal is ignored already, as it would be at the next bar: nothing can change the position
   * before then (its fills come at its bars, after the orders made there), so with nothing queued before it, an exit
   * with nothing to exit, an add past `pyramiding` or a short the run forbids is said now, and costs no request.
   */
  refusesNow(track: PositionTrack, signal: Signal): boolean {
    if (track.pending.length !== 0 || signal.target !== undefined || signal.delta !== undefined || signal.limitPrice !== undefined) return false;
    const state = track.owner;
    const plan = planOrder(signal, { held: withoutDust(track.held.quantity, track.instrument), working: track.workingQuantity(), entries: track.entries, pyramiding: state.pyramiding, allowShort: this.ctx.allowShort }, UNSIZED);
    const code = plan.ignored?.code;
    if (plan.order !== undefined || plan.cancelWorking || (code !== 'NOTHING_TO_EXIT' && code !== 'PYRAMIDING_LIMIT' && code !== 'SHORTING_NOT_ALLOWED')) return false;
    this.ctx.ignore(state, signal, code, plan.ignored!.message);
    return true;
  }

  /** A signal made now, to be acted on at the symbol's next bar. */
  queue(track: PositionTrack, request: OrderRequest): void {
    track.pending.push(request);
    this.ctx.tracks.pendingCount++;
  }

  /** Before the broker sees a bar: the symbol's requests made before it become orders, in the order they came. */
  release(bar: Bar): void | Promise<void> {
    if (this.ctx.tracks.pendingCount === 0) return;
    const tracks = this.ctx.tracks.ofSymbol(bar.symbol);
    return tracks === undefined ? undefined : this.releaseFrom(bar, tracks, 0);
  }

  private releaseFrom(bar: Bar, tracks: readonly PositionTrack[], from: number): void | Promise<void> {
    for (let i = from; i < tracks.length; i++) {
      const track = tracks[i]!;
      // Never one made at this bar's own time (from another symbol's bar of the same time): it fills on a later bar.
      while (track.pending.length > 0 && track.pending[0]!.time < bar.time) {
        const request = track.pending.shift()!;
        this.ctx.tracks.pendingCount--;
        const pending = this.act(track, request, bar);
        if (pending !== undefined) return this.releaseAfter(pending, bar, tracks, i);
      }
    }
  }

  private releaseAfter(pending: Promise<void>, bar: Bar, tracks: readonly PositionTrack[], at: number): Promise<void> {
    return pending.then(() => this.releaseFrom(bar, tracks, at));
  }

  /** The requests still waiting when the run ends: said, never dropped in silence. */
  abandon(): void {
    for (const track of this.ctx.tracks.all()) {
      while (track.pending.length > 0) {
        const request = track.pending.shift()!;
        this.ctx.tracks.pendingCount--;
        this.ctx.ignore(track.owner, request.signal, 'RUN_ENDED', `the run ended before ${track.symbol} had another bar to fill an order on`);
      }
    }
  }

  /** One request: planned against the position, then ordered (after cancelling what it supersedes). */
  private act(track: PositionTrack, request: OrderRequest, bar: Bar): void | Promise<void> {
    const { ctx } = this;
    const state = track.owner;
    const signal = request.signal;
    const instrument = track.instrument;
    const limit = signal.limitPrice === undefined ? undefined : roundPrice(signal.limitPrice, instrument, signal.side === 'sell' ? 'up' : 'down');
    const price = limit ?? (state.slot.sizing.price === 'signal-close' ? request.close : bar.open);
    const sizes = this.sizes.of(state, request, price, instrument.multiplier, ctx.ledger.equity());
    const held = withoutDust(track.held.quantity, instrument);
    const plan = planOrder(signal, { held, working: track.workingQuantity(), entries: track.entries, pyramiding: state.pyramiding, allowShort: ctx.allowShort }, sizes);
    if (plan.ignored !== undefined) ctx.ignore(state, signal, plan.ignored.code, plan.ignored.message);
    if (plan.order === undefined && !plan.cancelWorking) return;
    const cancelled = plan.cancelWorking ? this.cancelAll(track, 'superseded by a later signal') : undefined;
    if (cancelled !== undefined) return this.orderAfter(cancelled, track, request, bar, plan.order, limit, held);
    return this.order(track, request, bar, plan.order, limit, held);
  }

  private orderAfter(pending: Promise<void>, track: PositionTrack, request: OrderRequest, bar: Bar, planned: PlannedOrder | undefined, limit: number | undefined, held: number): Promise<void> {
    return pending.then(() => this.order(track, request, bar, planned, limit, held));
  }

  /** A planned order rounded to the instrument, fitted to the money the strategy has, and sent to the gate. */
  private order(track: PositionTrack, request: OrderRequest, bar: Bar, planned: PlannedOrder | undefined, limit: number | undefined, held: number): void | Promise<void> {
    if (planned === undefined) return;
    const { ctx } = this;
    const state = track.owner;
    const { signal } = request;
    const instrument = track.instrument;
    // The whole position is closed exactly, whatever its lots; anything else is rounded down to whole lots.
    const whole = planned.reduceOnly && Math.abs(planned.quantity - Math.abs(held)) <= 1e-9 * Math.abs(held);
    let quantity = whole ? Math.abs(held) : roundQuantity(planned.quantity, instrument);
    // What closes the position; a sliver left by binary arithmetic (32.923 - 32.913) is no opening.
    let closes = Math.min(quantity, planned.quantity - planned.opens);
    if (quantity - closes < instrument.lotSize * 1e-6) closes = quantity;
    if (quantity <= 0) return ctx.ignore(state, signal, 'SIZED_TO_ZERO', () => `${planned.quantity} ${track.symbol} rounds to no lot of ${instrument.lotSize}`);
    const reference = limit ?? bar.open;
    // A limit order fills at its limit or better; a market order at the open, as the broker expects to fill it.
    const estimate: FillEstimate = limit === undefined ? (side, q) => ctx.estimateFill(track.symbol, side, q, reference) : (side, q) => ({ price: limit, fee: ctx.estimateFill(track.symbol, side, q, limit).fee });
    let claim: Claim = NO_CLAIM;
    if (quantity <= closes) claim = claimOf({ side: planned.side, quantity, opens: 0 }, ctx.account, instrument.multiplier, estimate);
    else {
      const tooSmall = orderSizeProblem(quantity - closes, reference, instrument);
      if (tooSmall !== undefined) return this.closeOnly(track, request, bar, limit, closes, 'BELOW_MINIMUM', tooSmall);
      const need = { side: planned.side, quantity, opens: quantity - closes };
      const whole = claimOf(need, ctx.account, instrument.multiplier, estimate);
      const wallet = this.walletAt(track, held, whole.price, instrument.multiplier);
      const paid = affordable(need, instrument.lotSize, instrument.multiplier, wallet, ctx.account, estimate, whole);
      if (paid.quantity <= closes) return this.closeOnly(track, request, bar, limit, closes, 'INSUFFICIENT_FUNDS', this.shortOf(wallet, quantity - closes, track.symbol, reference));
      if (paid.quantity < quantity) {
        const cut = roundQuantity(paid.quantity, instrument);
        ctx.ignore(state, signal, 'INSUFFICIENT_FUNDS', `resized from ${quantity} to ${cut} ${track.symbol}: ${this.shortOf(wallet, quantity - closes, track.symbol, reference)}`);
        quantity = cut;
        const stillTooSmall = orderSizeProblem(quantity - closes, reference, instrument);
        if (stillTooSmall !== undefined) return this.closeOnly(track, request, bar, limit, closes, 'BELOW_MINIMUM', stillTooSmall);
      }
      claim = paid.quantity === quantity ? paid.claim : claimOf({ side: planned.side, quantity, opens: quantity - closes }, ctx.account, instrument.multiplier, estimate);
    }
    const opens = quantity - closes;
    let trailing: OrderTrailingStop | undefined;
    if (opens > 0 && signal.trailingStop !== undefined) {
      const { distance, unit } = signal.trailingStop;
      if (unit === 'atr') {
        const atr = state.sizer.atr(track.symbol, request.timeframe);
        if (atr === undefined) {
          return ctx.ignore(state, signal, 'ATR_UNAVAILABLE', `a trailing stop of ${distance} ATR needs the ATR of ${track.symbol} ${request.timeframe}, which is ${state.sizer.atrPeriod === 0 ? `not kept: set the strategy's atrPeriod` : 'not defined yet'}`);
        }
        trailing = { distance: distance * atr, unit: 'price' };
      } else trailing = { distance, unit };
    }
    const intent: Mutable<OrderIntent> = {
      id: `${state.slot.instanceId}-${++ctx.sequence}`,
      symbol: track.symbol,
      side: planned.side,
      quantity,
      type: limit === undefined ? 'market' : 'limit',
      reduceOnly: opens === 0,
      strategyId: state.slot.instanceId,
      // The request's time: the broker fills it on a bar after the one that made the signal, this one.
      time: request.time,
      referencePrice: reference,
      signal,
    };
    if (limit !== undefined) intent.limitPrice = limit;
    // Added, not spread in: a spread copies through a generic builtin on every order.
    if (opens > 0) {
      if (signal.stopLoss !== undefined) intent.stopLoss = roundPrice(signal.stopLoss, instrument, 'nearest');
      if (signal.takeProfit !== undefined) intent.takeProfit = roundPrice(signal.takeProfit, instrument, 'nearest');
      if (trailing !== undefined) intent.trailingStop = trailing;
      if (signal.exitAfterBars !== undefined) intent.exitAfterBars = signal.exitAfterBars;
    }
    return this.check({ track, request, intent, closes, instrument, estimate }, claim);
  }

  /**
   * The strategy's money as buying power sees it: its working orders' claims taken off, and its position in this
   * symbol valued at the price the order will fill at (the others at their last close), so the limits hold right
   * after the fill as well as before it.
   */
  private walletAt(track: PositionTrack, held: number, price: number, multiplier: number): Wallet {
    const { account, claimedCash, claimedExposure } = track.owner;
    // A cash account reads only its cash: its equity and exposure are not worth the walk over its positions.
    if (this.ctx.account.type === 'cash') return { cash: account.cash() - claimedCash, equity: Number.NaN, grossExposure: Number.NaN };
    const mark = this.ctx.ledger.priceOf(track.symbol);
    const moved = held === 0 || !(mark > 0) ? 0 : held * (price - mark) * multiplier;
    const regrossed = held === 0 || !(mark > 0) ? 0 : Math.abs(held) * (price - mark) * multiplier;
    return { cash: account.cash() - claimedCash, equity: account.equity() + moved, grossExposure: account.grossExposure() + regrossed + claimedExposure };
  }

  /** What the strategy is short of, in words. */
  private shortOf(wallet: Wallet, opens: number, symbol: string, price: number): string {
    const { account } = this.ctx;
    return account.type === 'cash'
      ? `the strategy has ${wallet.cash.toFixed(2)} of cash free for ${opens} ${symbol} at about ${price} (a cash account never borrows)`
      : `its positions and orders are worth ${wallet.grossExposure.toFixed(2)}, and its equity of ${wallet.equity.toFixed(2)} at ${account.leverage}x leverage carries ${(wallet.equity * account.leverage).toFixed(2)}`;
  }

  /** The part that closes the position still goes when the part that would open cannot; else the signal is ignored. */
  private closeOnly(track: PositionTrack, request: OrderRequest, bar: Bar, limit: number | undefined, closes: number, code: 'BELOW_MINIMUM' | 'INSUFFICIENT_FUNDS', message: string): void | Promise<void> {
    this.ctx.ignore(track.owner, request.signal, code, closes > 0 ? `${message}; only the ${closes} that close the position are ordered` : message);
    if (closes <= 0) return;
    const held = track.held.quantity;
    return this.order(track, request, bar, { side: held > 0 ? 'sell' : 'buy', quantity: closes, reduceOnly: true, opens: 0, entry: false }, limit, held);
  }

  private check(out: Outgoing, claim: Claim): void | Promise<void> {
    const verdict = this.ctx.gate.check(out.intent, this.ctx.ledger.snapshot(this.ctx.currentTime));
    return verdict instanceof Promise ? this.checkSettle(verdict, out, claim) : this.judged(out, claim, verdict);
  }

  private checkSettle(pending: Promise<RiskVerdict>, out: Outgoing, claim: Claim): Promise<void> {
    return pending.then((verdict) => this.judged(out, claim, verdict));
  }

  /**
   * An approved order goes to the broker (its claim fitted to a quantity the risk plugins cut); a denied one is
   * counted. A reversal denied because a risk plugin could not answer still closes the position: exits are never
   * trapped by a broken risk plugin.
   */
  private judged(out: Outgoing, claim: Claim, verdict: RiskVerdict): void | Promise<void> {
    const { ctx } = this;
    if (!verdict.approved) {
      ctx.denied(out.track, verdict);
      if (out.closes > 0 && out.closes < out.intent.quantity && FAILED_TO_ANSWER.has(verdict.code)) {
        const { id: _id, quantity: _quantity, stopLoss: _stop, takeProfit: _target, trailingStop: _trailing, exitAfterBars: _bars, ...rest } = out.intent;
        const intent: OrderIntent = { ...rest, id: `${out.intent.strategyId}-${++ctx.sequence}`, quantity: out.closes, reduceOnly: true };
        return this.check({ ...out, intent }, claimOf({ side: intent.side, quantity: out.closes, opens: 0 }, ctx.account, out.instrument.multiplier, out.estimate));
      }
      return;
    }
    const intent = verdict.intent;
    const opens = Math.max(0, intent.quantity - out.closes);
    const fitted = intent.quantity === out.intent.quantity ? claim : claimOf({ side: intent.side, quantity: intent.quantity, opens }, ctx.account, out.instrument.multiplier, out.estimate);
    if (ctx.replay !== undefined) return ctx.replay(intent).then((order) => this.track(out, fitted, opens, order));
    ctx.options.onOrderSent?.(intent);
    // Called as a method of the broker, as the fill hooks are.
    const site = ctx.broker.submit;
    let order: Maybe<Order>;
    try {
      order = ctx.guard.returned<Order>(site, (site.self as Broker).submit(intent));
    } catch (error) {
      order = ctx.guard.threw(site, error);
    }
    if (order instanceof Promise) return this.trackSettle(order, out, fitted, opens);
    this.track(out, fitted, opens, order);
  }

  private trackSettle(pending: Promise<Order | typeof HOOK_FAILED>, out: Outgoing, claim: Claim, opens: number): Promise<void> {
    return pending.then((order) => this.track(out, claim, opens, order));
  }

  /** What the broker made of an order: published, and unless rejected, working until it fills or goes. */
  private track(out: Outgoing, claim: Claim, opens: number, order: Order | typeof HOOK_FAILED): void {
    if (order === HOOK_FAILED) return;
    const { ctx } = this;
    const { track } = out;
    const state = track.owner;
    ctx.listeners.refresh();
    if (ctx.listeners.order) ctx.bus.publish('order', order);
    if (order.status === 'rejected') return;
    state.submitted++;
    // A broker that cannot cancel keeps a limit order until it fills.
    const limit = order.type === 'limit' && ctx.broker.cancel.fn !== undefined;
    const working: WorkingOrder = {
      id: order.id,
      side: order.side,
      remaining: order.quantity - order.filledQuantity,
      entry: opens > 0,
      limit,
      barsLeft: out.request.signal.validForBars ?? 1,
      claimCash: claim.cash,
      claimExposure: claim.exposure,
    };
    track.working.push(working);
    track.orderIds.push(order.id);
    if (working.entry) track.entries++;
    state.claimedCash += claim.cash;
    state.claimedExposure += claim.exposure;
    if (limit) ctx.tracks.limitsWorking++;
  }

  /**
   * Before the broker sees a bar: each working limit order of its symbol has one bar fewer to wait, and one that
   * has none left is cancelled, so the strategy may signal again.
   */
  expire(bar: Bar): void | Promise<void> {
    if (this.ctx.tracks.limitsWorking === 0) return;
    const tracks = this.ctx.tracks.ofSymbol(bar.symbol);
    return tracks === undefined ? undefined : this.expireFrom(tracks, 0);
  }

  private expireFrom(tracks: readonly PositionTrack[], from: number): void | Promise<void> {
    for (let i = from; i < tracks.length; i++) {
      const track = tracks[i]!;
      for (let w = 0; w < track.working.length; w++) {
        const order = track.working[w]!;
        if (!order.limit) continue;
        if (order.barsLeft > 0) {
          order.barsLeft--;
          continue;
        }
        const pending = this.cancel(track, order, 'limit order expired: not filled in the bars the signal allowed (validForBars)');
        if (pending !== undefined) return this.expireAfter(pending, tracks, i);
        // A cancelled order left the list; one that could not be cancelled is tried again next bar.
        if (!track.working.includes(order)) w--;
      }
    }
  }

  private expireAfter(pending: Promise<void>, tracks: readonly PositionTrack[], at: number): Promise<void> {
    return pending.then(() => this.expireFrom(tracks, at));
  }

  /** Cancels every working order of a position (a later target or exit supersedes them). */
  private cancelAll(track: PositionTrack, reason: string): Promise<void> | undefined {
    for (const order of [...track.working]) {
      const pending = this.cancel(track, order, reason);
      if (pending !== undefined) return pending.then(() => this.cancelAll(track, reason));
    }
    return undefined;
  }

  /** Cancels the working entry orders of every position (a live session's Ctrl-C); exits and stops stay. */
  async cancelEntries(reason: string): Promise<number> {
    let cancelled = 0;
    for (const track of this.ctx.tracks.all()) {
      for (const order of [...track.working]) {
        if (!order.entry) continue;
        await this.cancel(track, order, reason);
        cancelled++;
      }
    }
    return cancelled;
  }

  /** Asks the broker to cancel a working order. */
  private cancel(track: PositionTrack, order: WorkingOrder, reason: string): void | Promise<void> {
    const { ctx } = this;
    const site = ctx.broker.cancel;
    if (site.fn === undefined) return;
    let answer: Maybe<Order | undefined>;
    try {
      const out = (site.self as Broker).cancel(order.id);
      if (out === undefined) ctx.guard.returnedNothing(site);
      answer = out === undefined ? undefined : ctx.guard.returned<Order | undefined>(site, out);
    } catch (error) {
      answer = ctx.guard.threw(site, error);
    }
    if (answer instanceof Promise) return this.cancelledAfter(answer, track, order, reason);
    this.cancelled(track, order, reason, answer);
  }

  private cancelledAfter(pending: Promise<Order | undefined | typeof HOOK_FAILED>, track: PositionTrack, order: WorkingOrder, reason: string): Promise<void> {
    return pending.then((answer) => this.cancelled(track, order, reason, answer));
  }

  /**
   * What the broker made of a cancel: the order is gone (cancelled, or unknown to it); a cancel that failed is tried
   * again later. The id stays among those that may fill, so a fill the venue made before it heard of the cancel is
   * still booked.
   */
  private cancelled(track: PositionTrack, order: WorkingOrder, reason: string, answer: Order | undefined | typeof HOOK_FAILED): void {
    if (answer === HOOK_FAILED) return;
    const { ctx } = this;
    ctx.tracks.endWorking(track, order, 'cancelled');
    ctx.listeners.refresh();
    if (answer !== undefined && ctx.listeners.order) ctx.bus.publish('order', { ...answer, reason });
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
