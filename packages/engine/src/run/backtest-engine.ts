import { isWholeMultiple, TIMEFRAMES, type Bar, type ExternalAlert, type Fill, type Order, type OrderIntent, type PortfolioSnapshot, type Tick, type Timeframe } from '@trading-orchestrator/plugin-api';
import { FillBooking } from '../stages/fill-booking.js';
import { EquityRecorder } from '../stages/equity-recorder.js';
import { OrderDesk } from '../stages/order-desk.js';
import { PluginBars } from '../stages/plugin-bars.js';
import { PluginTicks } from '../stages/plugin-ticks.js';
import { PluginAlerts, type AlertDelivery } from '../stages/plugin-alerts.js';
import { BarAggregator } from './bar-aggregator.js';
import type { BacktestOptions, BacktestResult, EngineState } from './engine-types.js';
import { RunContext } from './run-context.js';
import { restoreEngine, snapshotEngine } from './engine-state.js';
import { mixedTimeframes } from './mixed-timeframes.js';

/** The stages of a fed bar, in order; a bar parked behind a promise resumes at the next one. */
const RELEASE = 0;
const EXPIRE = 1;
const FILLS = 2;
const RISK = 3;
const STRATEGIES = 4;

/**
 * Runs bars through the plugins, one bar at a time, in stages a reader can find by name:
 *
 * 1. clock (`EquityRecorder`): a bar of a new time books the equity of the time just completed;
 * 2. orders (`OrderDesk.release`): the symbol's signals from earlier bars become orders, sized at this bar's open,
 *    rounded to the instrument, fitted to the strategy's buying power, checked by the risk gate, sent to the broker;
 *    working limit orders count down their bars (`OrderDesk.expire`);
 * 3. broker fills and ledger (`FillBooking`): the broker fills what is due, each fill is booked and the strategy and
 *    the risk plugins are told; the symbol is marked at the close;
 * 4. risk plugins (`PluginBars.risk`): their `onBar`;
 * 5. strategies (`PluginBars.strategies`): their `onBar`; signals are queued for the symbol's next bar, or ignored
 *    with the reason.
 *
 * So a signal made on bar t's close fills no earlier than bar t+1's open. When every hook answers with a plain
 * value, `process(bar)` runs the bar to its end in one synchronous call and allocates nothing on a quiet bar; a hook
 * that returns a promise parks the rest of the bar, and `process` returns a promise of its end (docs/architecture.md,
 * "the bar's fast path"). Paper sessions use the same `process` with live bars; live sessions add what a venue reports
 * on its own (`bookReported`, `orderReported`) and the kill switch (`flatten`, `cancelEntries`), each a thin entry
 * into the stages, which is why this facade runs past 400 lines.
 */
/** A working order as `workingOrders` lists it. */
export interface WorkingOrderView {
  readonly id: string;
  readonly symbol: string;
  readonly strategyId: string;
  readonly side: 'buy' | 'sell';
  readonly remaining: number;
  /** Opens or adds to a position. */
  readonly entry: boolean;
}

/** A position `flatten` asked to close: its strategy, what it held, and the working orders it had. */
export interface FlattenedPosition {
  readonly strategyId: string;
  readonly symbol: string;
  readonly quantity: number;
  readonly workingOrders: number;
}

export class BacktestEngine {
  private readonly ctx: RunContext;
  private readonly equity: EquityRecorder;
  private readonly desk: OrderDesk;
  private readonly fills: FillBooking;
  private readonly plugins: PluginBars;
  private readonly ticks: PluginTicks;
  private readonly alerts: PluginAlerts;
  /** Builds the coarser timeframes strategies asked for; undefined when none did. */
  private readonly aggregator: BarAggregator | undefined;
  /** Set by the run's abort signal: the run stops before the next bar. */
  private stopRequested = false;
  private interrupted = false;

  constructor(private readonly options: BacktestOptions) {
    this.ctx = new RunContext(options);
    this.equity = new EquityRecorder(this.ctx);
    this.desk = new OrderDesk(this.ctx);
    this.fills = new FillBooking(this.ctx);
    const built = builtTimeframes(options);
    this.aggregator = built.length === 0 ? undefined : new BarAggregator(built);
    this.plugins = new PluginBars(
      this.ctx,
      this.desk,
      built,
      TIMEFRAMES.filter((t) => !built.includes(t)),
    );
    this.ticks = new PluginTicks(this.ctx, this.desk, this.plugins);
    this.alerts = new PluginAlerts(this.ctx, this.ticks);
    // Buy and hold buys a symbol when the strategies may first trade it: after the run's warm-up bars of it.
    const warmup = options.warmupBars ?? 0;
    this.ctx.benchmark.ready = (symbol) => this.plugins.barsSeen(symbol) > warmup;
  }

  /** Whether a strategy of the run implements `onTick`: a live session streams trade prints only then. */
  get wantsTicks(): boolean {
    return this.ticks.wanted;
  }

  /**
   * A trade print of a live session, between two bars: published on `tick` and handed to the strategies'
   * `onTick`; their signals are acted on at the symbol's first bar opening after it. Never call it while a bar's
   * `process` is still pending.
   */
  tick(tick: Tick): void | Promise<void> {
    return this.ticks.tick(tick);
  }

  /**
   * Runs every bar (time-ordered across symbols) and returns the results. The bars come one by one, or in pages
   * (`mergePages` makes them from data plugins without loading the history). When `signal` aborts, the run stops
   * after the bar in progress and the results cover the bars processed so far (`interrupted` is set). Positions
   * still open at the end are closed at the last close unless `closeAtEnd` is false.
   */
  async run(bars: Iterable<Bar> | AsyncIterable<Bar> | AsyncIterable<readonly Bar[]>, signal?: AbortSignal): Promise<BacktestResult> {
    // The abort event fires inside `abort()`, so a hook that aborts stops the run after its own bar.
    this.stopRequested = signal?.aborted === true;
    const onAbort = () => (this.stopRequested = true);
    signal?.addEventListener('abort', onAbort, { once: true });
    // With a signal to heed, the run hands the event loop a turn every slice, so Ctrl-C and timers get to run.
    const sliceMs = signal === undefined ? Number.POSITIVE_INFINITY : YIELD_EVERY_MS;
    /** Runs bars at hand; false once stopped. A bar whose hooks all return plain values costs no promise. */
    const runAtHand = async (list: Iterable<Bar>): Promise<boolean> => {
      const iterator = list[Symbol.iterator]();
      for (;;) {
        const end = this.runSlice(iterator, performance.now() + sliceMs);
        if (end === SLICE_DONE) return true;
        if (end === SLICE_STOPPED) return false;
        if (end === SLICE_USED) await new Promise<void>((resolve) => setImmediate(resolve));
        else await end;
      }
    };
    try {
      if (Symbol.iterator in bars) {
        this.interrupted = !(await runAtHand(bars));
      } else {
        for await (const item of bars) {
          const going = Array.isArray(item) ? await runAtHand(item as readonly Bar[]) : await runAtHand([item as Bar]);
          if (!going) {
            this.interrupted = true;
            break;
          }
        }
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    // Signals made on the last bars have no bar left to become orders on: said, not dropped.
    this.desk.abandon();
    if (this.options.closeAtEnd !== false) await this.closeOpenPositions();
    return this.finish();
  }

  /**
   * The kill switch's flatten: every strategy's working orders cancelled and its positions closed at each symbol's
   * next bar, by an exit signal in the strategy's name carrying `reason` (risk rules let exits through). Answers
   * which positions it asked to close. Never call it while a bar's processing is under way.
   */
  flatten(reason: string): FlattenedPosition[] {
    const { ctx } = this;
    const closing: FlattenedPosition[] = [];
    for (const state of ctx.tradingSlots) {
      for (const track of state.positions.values()) {
        const held = track.held.quantity;
        if (held === 0 && track.working.length === 0) continue;
        const symbol = track.symbol;
        const time = ctx.currentTime;
        this.ticks.intake(state, { symbol, side: 'exit', strength: 1, time, reason }, { symbol, price: ctx.ledger.priceOf(symbol), time, size: 0 });
        closing.push({ strategyId: state.slot.instanceId, symbol, quantity: held, workingOrders: track.working.length });
      }
    }
    return closing;
  }

  /**
   * An external alert (a live session's webhook): routed to the strategies that implement `onAlert`; their signals
   * are acted on at the symbol's first bar that opens after it. Never call it while a bar's processing is under way.
   */
  alert(alert: ExternalAlert): Promise<AlertDelivery> {
    return this.alerts.alert(alert);
  }

  /** The orders the engine holds as working at the broker, by the host's ids (what reconciliation compares). */
  workingOrders(): WorkingOrderView[] {
    const out: WorkingOrderView[] = [];
    for (const track of this.ctx.tracks.all()) {
      for (const order of track.working) out.push({ id: order.id, symbol: track.symbol, strategyId: track.owner.slot.instanceId, side: order.side, remaining: order.remaining, entry: order.entry });
    }
    return out;
  }

  /** Cancels every working entry order at the broker (a live session's stop); exits and protective stops stay. */
  cancelEntries(reason: string): Promise<number> {
    return this.desk.cancelEntries(reason);
  }

  /**
   * A fill the broker reported on its own (a live venue's execution, learnt from its stream or by polling): booked
   * as a bar's fills are, to the position whose order it is. Never call it while a bar's processing is under way.
   */
  bookReported(fill: Fill): void | Promise<void> {
    return this.fills.book(fill);
  }

  /**
   * An order state the broker reported on its own. A working order the venue ended (filled, cancelled, rejected,
   * expired) stops holding back the strategy's buying power, whatever of it the fills booked (a fill net of a fee
   * taken in kind leaves a sliver); the state is published either way.
   */
  orderReported(order: Order): void {
    const { ctx } = this;
    if (order.status === 'filled' || order.status === 'cancelled' || order.status === 'rejected' || order.status === 'expired') {
      const track = ctx.tracks.ofFill({ orderId: order.id, symbol: order.symbol } as Fill);
      const working = track?.workingOrder(order.id);
      if (track !== undefined && working !== undefined) ctx.tracks.endWorking(track, working, order.status === 'rejected' ? 'rejected' : order.status === 'filled' ? 'filled' : 'cancelled');
    }
    ctx.listeners.refresh();
    if (ctx.listeners.order) ctx.bus.publish('order', order);
  }

  /** The time of the bar in progress, or of the last one processed; -Infinity before the first. */
  get time(): number {
    return this.ctx.currentTime;
  }

  /**
   * A bar that only warms up: risk plugins, sizers and the routed strategies see it, and what strategies signal
   * is dropped. The broker and the ledger do not see it. A resumed paper session warms up on the bars its
   * checkpoint already covers.
   */
  warm(bar: Bar): void | Promise<void> {
    if (this.aggregator !== undefined) return this.withBuiltBars(bar, false);
    return this.warmFed(bar);
  }

  private warmFed(bar: Bar): void | Promise<void> {
    const { ctx } = this;
    this.checkOrder(bar);
    ctx.currentTime = bar.time;
    this.equity.warmOnly = true;
    ctx.bars++;
    ctx.refreshActive();
    const pending = this.plugins.risk(bar, 0);
    return pending === undefined ? this.plugins.strategies(bar, false, 0) : this.warmAfter(pending, bar);
  }

  private warmAfter(pending: Promise<void>, bar: Bar): Promise<void> {
    return pending.then(() => {
      this.ctx.refreshActive();
      return this.plugins.strategies(bar, false, 0);
    });
  }

  /**
   * One bar through the whole pipeline. Returns nothing when every hook answered synchronously, else a promise
   * to wait for before the next bar.
   */
  process(bar: Bar): void | Promise<void> {
    if (this.aggregator !== undefined) return this.withBuiltBars(bar, true);
    return this.processFed(bar);
  }

  private processFed(bar: Bar): void | Promise<void> {
    const { ctx } = this;
    this.checkOrder(bar);
    if (bar.time > ctx.currentTime) {
      this.equity.record();
      ctx.currentTime = bar.time;
      this.equity.warmOnly = false;
    }
    ctx.bars++;
    ctx.refreshActive();
    return this.stages(bar, RELEASE);
  }

  /** The stages of a fed bar from `from` on (see the class comment). */
  private stages(bar: Bar, from: number): void | Promise<void> {
    let pending: void | Promise<void>;
    // Most bars have no order to make and none to expire: two counters say so without a call.
    const { tracks } = this.ctx;
    if (from <= RELEASE && tracks.pendingCount !== 0 && (pending = this.desk.release(bar)) !== undefined) return this.stagesAfter(pending, bar, EXPIRE);
    if (from <= EXPIRE && tracks.limitsWorking !== 0 && (pending = this.desk.expire(bar)) !== undefined) return this.stagesAfter(pending, bar, FILLS);
    if (from <= FILLS && (pending = this.fills.onBar(bar)) !== undefined) return this.stagesAfter(pending, bar, RISK);
    if (from <= RISK && (pending = this.plugins.risk(bar, 0)) !== undefined) return this.stagesAfter(pending, bar, STRATEGIES);
    return this.plugins.strategies(bar, true, 0);
  }

  // The continuations live in methods of their own: a closure in `stages` would make every call allocate a context.
  private stagesAfter(pending: Promise<void>, bar: Bar, next: number): Promise<void> {
    return pending.then(() => this.resume(bar, next));
  }

  private resume(bar: Bar, next: number): void | Promise<void> {
    this.ctx.refreshActive();
    return this.stages(bar, next);
  }

  /**
   * A fed bar and the built bars around it: first those whose periods ended before it opened, then the bar
   * itself, then those it closes. Built bars go to the strategies that asked for them (and their sizers) only.
   */
  private withBuiltBars(bar: Bar, trade: boolean): void | Promise<void> {
    // Every fed bar is checked here: `route` sees only a change of series, and a fed bar could pass for a built one.
    if (bar.timeframe !== this.options.timeframe) throw mixedTimeframes(bar, this.options.timeframe!, true);
    this.checkOrder(bar);
    const due = this.aggregator!.due(bar.time);
    const pending = due === undefined ? undefined : this.runBuilt(due, 0, trade);
    return pending === undefined ? this.fedThenBuilt(bar, trade) : this.fedThenBuiltAfter(pending, bar, trade);
  }

  private fedThenBuiltAfter(pending: Promise<void>, bar: Bar, trade: boolean): Promise<void> {
    return pending.then(() => this.fedThenBuilt(bar, trade));
  }

  private fedThenBuilt(bar: Bar, trade: boolean): void | Promise<void> {
    const pending = trade ? this.processFed(bar) : this.warmFed(bar);
    return pending === undefined ? this.afterFed(bar, trade) : this.afterFedAfter(pending, bar, trade);
  }

  private afterFedAfter(pending: Promise<void>, bar: Bar, trade: boolean): Promise<void> {
    return pending.then(() => this.afterFed(bar, trade));
  }

  private afterFed(bar: Bar, trade: boolean): void | Promise<void> {
    const built = this.aggregator!.add(bar);
    return built === undefined ? undefined : this.runBuilt(built, 0, trade);
  }

  private runBuilt(bars: readonly Bar[], from: number, trade: boolean): void | Promise<void> {
    for (let i = from; i < bars.length; i++) {
      // The strategies alone: the broker, the ledger and the risk plugins keep to the fed bars.
      const pending = this.plugins.strategies(bars[i]!, trade, 0);
      if (pending !== undefined) return this.runBuiltAfter(pending, bars, i + 1, trade);
    }
  }

  private runBuiltAfter(pending: Promise<void>, bars: readonly Bar[], next: number, trade: boolean): Promise<void> {
    return pending.then(() => this.runBuilt(bars, next, trade));
  }

  /**
   * Closes every position still open at the last close, with the broker's estimated fee and slippage, as fills of
   * the engine's own (exit reason `end-of-run`), so the trades count in the statistics.
   */
  async closeOpenPositions(): Promise<void> {
    const { ctx } = this;
    for (const state of ctx.tradingSlots) {
      for (const track of state.positions.values()) {
        const held = track.held.quantity;
        const last = ctx.ledger.priceOf(track.symbol);
        if (held === 0 || !(last > 0)) continue;
        const side = held > 0 ? 'sell' : 'buy';
        const quantity = Math.abs(held);
        const estimate = ctx.estimateFill(track.symbol, side, quantity, last);
        const fill: Fill = { orderId: `${state.slot.instanceId}-${++ctx.sequence}:end-of-run`, symbol: track.symbol, side, quantity, price: estimate.price, fee: estimate.fee, time: ctx.currentTime, exitReason: 'end-of-run' };
        await this.fills.bookFor(track, fill);
        // The fill moved the symbol's mark to its price after slippage; the market's last price is still the close.
        ctx.ledger.mark(track.symbol, last);
      }
    }
  }

  /** The results so far; `interrupted` marks a run stopped early by its driver (a paper session's Ctrl-C). */
  finish(interrupted = this.interrupted): BacktestResult {
    const { ctx } = this;
    this.interrupted = interrupted;
    this.equity.record();
    // The point just recorded is booked; a later `finish` must not book it again.
    this.equity.warmOnly = true;
    return {
      bars: ctx.bars,
      interrupted: this.interrupted,
      equity: ctx.curve.points(),
      metrics: ctx.metrics.length >= 2 ? ctx.metrics.result() : undefined,
      strategies: ctx.slots.map((s) => ({
        instanceId: s.slot.instanceId,
        shadow: s.slot.shadow === true,
        signals: s.signals,
        ignored: Object.fromEntries(s.ignored),
        ordersSubmitted: s.submitted,
        ordersDenied: s.denied,
        tradeCount: s.tradeCount,
        trades: s.trades.toArray(),
        finalEquity: s.account.equity(),
        equity: s.curve.points(),
        metrics: s.slot.shadow !== true && s.metrics.length >= 2 ? s.metrics.result() : undefined,
      })),
      portfolio: ctx.ledger.snapshot(ctx.currentTime),
      denials: ctx.denials,
      unownedFills: ctx.unownedFills,
      benchmark: ctx.benchmark.result(),
    };
  }

  /** The account as of the bar in progress: cash, equity and positions (what risk plugins' `portfolioRisk` is given). */
  portfolio(): PortfolioSnapshot {
    return this.ctx.ledger.snapshot(this.ctx.currentTime);
  }

  /** The account, the orders in flight and the per-strategy tallies, for a checkpoint. */
  snapshot(): EngineState {
    return snapshotEngine(this.ctx);
  }

  /**
   * While `lookup` is set, no order is sent: each one the strategies make is given to `lookup`, whose answer the
   * engine takes as the broker's. A resumed live session replays the bars after its checkpoint so: an order its
   * killed process had sent is found at the venue by its id (ids follow from the checkpoint, so they come out the
   * same), and one it never sent is answered rejected rather than sent late. `undefined` sends orders again.
   */
  replayOrders(lookup: ((intent: OrderIntent) => Promise<Order>) | undefined): void {
    this.ctx.replay = lookup;
  }

  /** Continues from a checkpoint of an engine with the same strategies, capital and currency. */
  restore(state: EngineState): void {
    restoreEngine(this.ctx, state);
    // The checkpoint was taken inside its bar time, before that time's equity point: the point is still to come.
    this.equity.warmOnly = false;
  }

  /**
   * Processes bars synchronously until the bars run out, a stop is requested, the time slice is used up
   * (`deadline`, looked at every 256 bars), or a bar's hooks answer with a promise, which is returned.
   */
  private runSlice(bars: Iterator<Bar>, deadline: number): SliceEnd | Promise<void> {
    const building = this.aggregator !== undefined;
    for (let n = 1; ; n++) {
      if (this.stopRequested) return SLICE_STOPPED;
      const next = bars.next();
      if (next.done === true) return SLICE_DONE;
      const pending = building ? this.withBuiltBars(next.value, true) : this.processFed(next.value);
      if (pending !== undefined) return pending;
      if ((n & 255) === 0 && performance.now() >= deadline) return SLICE_USED;
    }
  }

  private checkOrder(bar: Bar): void {
    if (bar.time < this.ctx.currentTime) throw outOfOrder(bar, this.ctx.currentTime);
  }
}

/** How long a run with an abort signal goes before handing the event loop a turn. */
const YIELD_EVERY_MS = 10;
const SLICE_DONE = 0;
const SLICE_STOPPED = 1;
const SLICE_USED = 2;
/** Why `runSlice` returned without a promise: out of bars, stop requested, time slice used up. */
type SliceEnd = typeof SLICE_DONE | typeof SLICE_STOPPED | typeof SLICE_USED;

/** The coarser timeframes the strategies ask for, which the engine builds from the fed `timeframe`. */
function builtTimeframes(options: BacktestOptions): Timeframe[] {
  const fed = options.timeframe;
  if (fed === undefined) return [];
  const built = new Set<Timeframe>();
  for (const slot of options.strategies) {
    for (const t of slot.timeframes ?? []) {
      if (t === fed) continue;
      if (!isWholeMultiple(fed, t)) throw new RangeError(`strategy "${slot.instanceId}" wants ${t} bars, which cannot be built from the run's ${fed} bars: a timeframe is built from a finer one that divides it`);
      built.add(t);
    }
  }
  return [...built];
}

/** Built apart from `checkOrder`: a number formatted in a hot function makes V8 box it on every call. */
function outOfOrder(bar: Bar, currentTime: number): RangeError {
  return new RangeError(`bars must arrive in time order: ${bar.symbol} at ${new Date(bar.time).toISOString()} came after ${new Date(currentTime).toISOString()}`);
}
