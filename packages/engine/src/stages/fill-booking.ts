import { HOOK_FAILED, readOnlyPortfolio, readOnlyPosition } from '@trading-orchestrator/core-manager';
import type { Bar, Fill, PortfolioSnapshot, Position, RiskManager, Strategy } from '@trading-orchestrator/plugin-api';
import type { TradeExitReason, TradeRecord } from '../metrics/trade-log.js';
import type { PositionTrack } from '../run/position-track.js';
import type { RunContext } from '../run/run-context.js';
import { withoutDust } from '../instruments/instruments.js';

/** A booked fill, as the plugins are told of it. */
function flatPosition(fill: Fill): Position {
  return { symbol: fill.symbol, quantity: 0, averagePrice: fill.price, marketPrice: fill.price, unrealizedPnl: 0, realizedPnl: 0, openedAt: fill.time };
}

interface FillNews {
  readonly track: PositionTrack;
  readonly fill: Fill;
  /** The strategy's quantity in the symbol before and after the fill. */
  readonly before: number;
  readonly after: number;
  /** Realised P&L of the fill, in the account's currency. */
  readonly realized: number;
  /** The book after the fill, for the risk plugins; undefined when the run has none. */
  readonly portfolio: PortfolioSnapshot | undefined;
  /** The account's position in the symbol after the fill (quantity 0 when flat); undefined when neither a risk plugin nor a position listener reads it. */
  readonly position: Position | undefined;
}

type Fills = readonly Fill[] | void | typeof HOOK_FAILED;

/**
 * The broker stage of a bar and the ledger behind it: the broker fills what is due on the bar, each fill is booked
 * (ledger, working orders, the trade in progress) and the owning strategy and the risk plugins are told; then the
 * symbol is marked at the close and the bar published. Fills the engine makes itself (positions closed at the run's
 * end) are booked the same way.
 */
export class FillBooking {
  constructor(private readonly ctx: RunContext) {}

  /** The broker's `onBar` and the fills it returns, then the mark. */
  onBar(bar: Bar): void | Promise<void> {
    const { ctx } = this;
    const site = ctx.broker.onBar;
    let fills: Fills | Promise<Fills> = undefined;
    try {
      const answer = site.fn === undefined ? undefined : site.fn.call(site.self, bar);
      if (answer === undefined) ctx.guard.returnedNothing(site);
      else fills = ctx.guard.returned<readonly Fill[] | void>(site, answer);
    } catch (error) {
      fills = ctx.guard.threw(site, error);
    }
    // Most bars fill nothing: straight on to the mark.
    if (fills === undefined || fills === HOOK_FAILED) return this.mark(bar);
    return fills instanceof Promise ? this.afterFillsSettle(fills, bar) : this.bookAll(bar, fills, 0);
  }

  private afterFillsSettle(pending: Promise<Fills>, bar: Bar): Promise<void> {
    return pending.then((fills) => (fills === undefined || fills === HOOK_FAILED ? this.mark(bar) : this.bookAll(bar, fills, 0)));
  }

  /** Books the fills from `from` on in turn, then marks the bar. */
  private bookAll(bar: Bar, fills: readonly Fill[], from: number): void | Promise<void> {
    for (let i = from; i < fills.length; i++) {
      const pending = this.book(fills[i]!);
      if (pending !== undefined) return this.bookAllAfter(pending, bar, fills, i + 1);
    }
    return this.mark(bar);
  }

  private bookAllAfter(pending: Promise<void>, bar: Bar, fills: readonly Fill[], next: number): Promise<void> {
    return pending.then(() => this.bookAll(bar, fills, next));
  }

  private mark(bar: Bar): void {
    const { ctx } = this;
    ctx.ledger.mark(bar.symbol, bar.close);
    ctx.listeners.refresh();
    if (ctx.listeners.bar) ctx.bus.publish('bar', bar);
  }

  /** Books a fill the broker reported: to the position whose order it is, or counted as unowned. */
  book(fill: Fill): void | Promise<void> {
    const { ctx } = this;
    const track = ctx.tracks.ofFill(fill);
    if (track !== undefined) return this.bookFor(track, fill);
    ctx.unownedFills++;
    ctx.listeners.refresh();
    if (ctx.listeners.fill) ctx.bus.publish('fill', fill);
  }

  /** Books a fill of `track`: ledger and trade records, then the notifications (`tellOfFill`). */
  bookFor(track: PositionTrack, reported: Fill): void | Promise<void> {
    const { ctx } = this;
    // Booked as reported; then read-only for every plugin told of it.
    const fill = Object.isFrozen(reported) ? reported : Object.freeze({ ...reported });
    const state = track.owner;
    const order = track.workingOrder(fill.orderId);
    if (order !== undefined) {
      order.remaining -= fill.quantity;
      if (order.remaining <= 1e-12) ctx.tracks.endWorking(track, order, 'filled');
    }
    const effect = ctx.ledger.applyFill(state.slot.instanceId, fill);
    // Dust left by a fill (less than a lot, which no order can close) ends the trade as flat would.
    const before = withoutDust(effect.quantityBefore, track.instrument);
    const after = withoutDust(effect.quantityAfter, track.instrument);
    this.recordTrade(track, fill, before, after, effect.realized / 100, effect.fee / 100);
    if (after === 0) ctx.tracks.settleFlat(track);
    // A reversal starts a new position: its one entry is the order that reversed it.
    else if (before !== 0 && Math.sign(before) !== Math.sign(after)) track.entries = 1 + track.workingEntries();
    ctx.listeners.refresh();
    if (ctx.listeners.fill) ctx.bus.publish('fill', fill);
    // The book after the fill is built for the risk plugins only; the position event needs the one position.
    const portfolio = ctx.risk.length > 0 ? readOnlyPortfolio(ctx.ledger.snapshot(fill.time)) : undefined;
    const held = portfolio !== undefined ? positionIn(portfolio, fill.symbol) : ctx.listeners.position ? ctx.ledger.accountPosition(fill.symbol) : undefined;
    // A fill that leaves the account flat in the symbol is a position event too (quantity 0; what it realised is in
    // the trade), or a listener keeping the open positions would keep this one for ever.
    const position = held ?? (ctx.listeners.position ? flatPosition(fill) : undefined);
    return this.tellOfFill({ track, fill, before, after, realized: effect.realized / 100, portfolio, position: position === undefined ? undefined : readOnlyPosition(position) }, 0);
  }

  /**
   * Tells the plugins of a booked fill, from step `from`: 0 the owning strategy's `onFill`, 1 + i risk plugin i's,
   * then the gate's position opened or closed; then the position is published. A hook that answers with a
   * promise parks the steps after it.
   */
  private tellOfFill(news: FillNews, from: number): void | Promise<void> {
    const { guard, risk } = this.ctx;
    const { track, fill, portfolio } = news;
    const state = track.owner;
    for (let step = from; step <= risk.length + 1; step++) {
      let out: unknown;
      // The hooks are called as methods of their instances and booked with the guard's `returned`/`threw`, as
      // `guard.call` would book them: through `call`'s one call site, which sees every plugin's functions, each
      // call is a generic one; a method call lets V8 tell the instances apart by their shapes.
      if (step === 0) {
        const site = state.onFill;
        // A strategy without `onFill` costs no look-up of its position.
        if (site.fn === undefined || state.plugin.machine.state !== 'active') continue;
        const position = this.ctx.ledger.positionOf(state.slot.instanceId, fill.symbol);
        const mine = position === undefined ? undefined : readOnlyPosition(position);
        try {
          const answer = (site.self as Strategy).onFill!(fill, mine);
          out = answer === undefined ? guard.returnedNothing(site) : guard.returned(site, answer);
        } catch (error) {
          out = guard.threw(site, error);
        }
      } else if (step <= risk.length) {
        const r = risk[step - 1]!;
        const site = r.onFill;
        if (site.fn === undefined || r.plugin.machine.state !== 'active') continue;
        try {
          const answer = (site.self as RiskManager).onFill!(fill, portfolio!);
          out = answer === undefined ? guard.returnedNothing(site) : guard.returned(site, answer);
        } catch (error) {
          out = guard.threw(site, error);
        }
      } else if (portfolio !== undefined) {
        out = this.positionChanged(news, portfolio);
      }
      if (out instanceof Promise) return this.tellOfFillSettle(out, news, step + 1);
    }
    this.ctx.listeners.refresh();
    if (news.position !== undefined && this.ctx.listeners.position) this.ctx.bus.publish('position', news.position);
  }

  private tellOfFillSettle(pending: Promise<unknown>, news: FillNews, next: number): Promise<void> {
    return pending.then(() => this.tellOfFill(news, next));
  }

  /** The risk gate hears of a position opened or closed by a fill. */
  private positionChanged({ track, fill, before, after, realized, position }: FillNews, portfolio: PortfolioSnapshot): void | Promise<void> {
    if (before === 0 && after !== 0 && position !== undefined && position.quantity !== 0) return this.ctx.gate.positionOpened(position, portfolio);
    if (before !== 0 && after === 0) {
      const closed = { symbol: fill.symbol, quantity: 0, averagePrice: fill.price, marketPrice: fill.price, unrealizedPnl: 0, realizedPnl: realized, openedAt: fill.time, strategyId: track.owner.slot.instanceId };
      return this.ctx.gate.positionClosed(closed, portfolio);
    }
  }

  /**
   * The trade in progress: opened by the first fill away from flat, grown by adds (its quantity is the largest
   * held), and closed, with its realised P&L net of every fee paid in it, by the fill that takes the position to
   * flat or through it (a reversal closes it and opens the next on the same fill).
   */
  private recordTrade(track: PositionTrack, fill: Fill, before: number, after: number, realized: number, fee: number): void {
    const state = track.owner;
    let open = track.open;
    if (open === undefined && after !== 0) {
      open = { direction: after > 0 ? 'long' : 'short', entryTime: fill.time, quantity: 0, realized: 0, fees: 0 };
      track.open = open;
    }
    if (open === undefined) return;
    open.realized += realized;
    open.fees += fee;
    const flipped = before !== 0 && after !== 0 && Math.sign(before) !== Math.sign(after);
    // A reversal's far side belongs to the next trade.
    open.quantity = Math.max(open.quantity, Math.abs(flipped ? before : after));
    if (after !== 0 && !flipped) return;
    const pnl = Math.round((open.realized - open.fees) * 100) / 100;
    const exitReason: TradeExitReason = fill.exitReason ?? (flipped ? 'reversal' : 'signal');
    const trade: TradeRecord = { strategyId: state.slot.instanceId, symbol: fill.symbol, direction: open.direction, quantity: open.quantity, entryTime: open.entryTime, exitTime: fill.time, pnl, fees: open.fees, exitReason };
    state.trades.push(trade);
    state.tradeCount++;
    state.metrics.addTrade(pnl);
    const { ctx } = this;
    if (state.slot.shadow !== true) ctx.metrics.addTrade(pnl);
    ctx.listeners.refresh();
    if (ctx.listeners.trade) ctx.bus.publish('trade', trade);
    track.open = flipped ? { direction: after > 0 ? 'long' : 'short', entryTime: fill.time, quantity: Math.abs(after), realized: 0, fees: 0 } : undefined;
  }
}

/** The account's position in a symbol, if it holds one (a loop: `find` would allocate its callback per fill). */
function positionIn(portfolio: PortfolioSnapshot, symbol: string): Position | undefined {
  const { positions } = portfolio;
  for (let i = 0; i < positions.length; i++) if (positions[i]!.symbol === symbol) return positions[i];
  return undefined;
}
