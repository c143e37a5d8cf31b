import { HOOK_FAILED, RiskGate, SignalRouter, type EventBus, type HookGuard, type HookSite, type ManagedPlugin, type PluginManager, type RiskVerdict, type StrategyRoute } from '@trading-orchestrator/core-manager';
import { isWholeMultiple, TIMEFRAMES, type Bar, type Broker, type Fill, type Order, type OrderIntent, type PortfolioSnapshot, type Position, type RiskManager, type Signal, type Strategy, type Timeframe } from '@trading-orchestrator/plugin-api';
import { EquitySampler, type EquitySamplerState } from '../metrics/equity-sampler.js';
import type { EquityPoint, PerformanceMetrics } from '../metrics/metrics.js';
import { RunningMetrics, type RunningMetricsState } from '../metrics/running-metrics.js';
import { TradeLog, type TradeRecord } from '../metrics/trade-log.js';
import { Ledger, type LedgerState, type StrategySlice } from '../portfolio/ledger.js';
import { toCents } from '../portfolio/money.js';
import { positionKey } from '../portfolio/position-key.js';
import { PositionSizer, type SizingRule } from '../sizing/position-sizer.js';
import { BarAggregator } from './bar-aggregator.js';

/** One strategy instance in the run, with its share of the account. */
export interface StrategySlot {
  readonly instanceId: string;
  /** Share of the starting capital this strategy sizes against, in (0, 1]. */
  readonly allocation: number;
  /** Receives the data and signals, which are recorded; never trades. */
  readonly shadow?: boolean;
  readonly symbols?: readonly string[];
  /**
   * The timeframes whose bars the strategy sees. Coarser ones than the run's `timeframe` are built from the bars
   * fed. Absent: the bars as fed.
   */
  readonly timeframes?: readonly Timeframe[];
  readonly sizing: SizingRule;
}

export interface BacktestOptions {
  /** Strategies, risk plugins and the broker, loaded and started. */
  readonly manager: PluginManager;
  readonly brokerId: string;
  /** Risk plugin instance ids in the order the gate asks them. */
  readonly riskIds: readonly string[];
  readonly strategies: readonly StrategySlot[];
  /**
   * The timeframe of the bars the run is fed. Strategies whose `timeframes` list coarser ones see those bars built
   * from the fed ones, each handed to them once its period is over; the broker, the ledger and the risk plugins
   * see only the fed bars. Unset: nothing is built, and strategies see the bars as fed.
   */
  readonly timeframe?: Timeframe;
  readonly capital: number;
  readonly currency?: string;
  /** Whether a sell signal may open a short. Default false (spot, long only). */
  readonly allowShort?: boolean;
  readonly periodsPerYear: number;
  readonly riskFreeRate?: number;
  /** Bars before this time only warm the strategies up: no orders. */
  readonly tradeFrom?: number;
  /** Closed trades kept per strategy for the result (the latest); every trade counts in the metrics. Default 1,000. */
  readonly keepTrades?: number;
  /** Points kept per equity curve for the result (thinned evenly); every point counts in the metrics. Default 2,048. */
  readonly keepEquityPoints?: number;
}

export interface StrategyResult {
  readonly instanceId: string;
  readonly shadow: boolean;
  readonly signals: number;
  readonly ordersSubmitted: number;
  readonly ordersDenied: number;
  /** Closed trades of the whole run. */
  readonly tradeCount: number;
  /** The latest closed trades, oldest first: all of them unless there were more than `keepTrades`. */
  readonly trades: readonly TradeRecord[];
  readonly finalEquity: number;
  /** The strategy's slice of the account over time, thinned to `keepEquityPoints` (empty for shadow strategies). */
  readonly equity: readonly EquityPoint[];
  /** Undefined for shadow strategies and runs shorter than two bars. */
  readonly metrics: PerformanceMetrics | undefined;
}

export interface Denial {
  readonly time: number;
  readonly strategyId: string;
  readonly symbol: string;
  readonly deniedBy: string;
  readonly code: string;
  readonly message: string;
}

export interface BacktestResult {
  readonly bars: number;
  /** True when the run was stopped before its last bar. */
  readonly interrupted: boolean;
  /** The account's equity over time, one point per bar time thinned to `keepEquityPoints`, first and last kept. */
  readonly equity: readonly EquityPoint[];
  readonly metrics: PerformanceMetrics | undefined;
  readonly strategies: readonly StrategyResult[];
  readonly portfolio: PortfolioSnapshot;
  /** The first 1,000 risk denials (their number is in each strategy's `ordersDenied`). */
  readonly denials: readonly Denial[];
  /**
   * Fills the broker reported for orders the engine did not send or has forgotten (a manual trade on the venue,
   * a bracket leg filling after its position closed). They are published on `fill`, so the journal has them, but
   * not booked: no strategy owns them. Never happens with the paper broker; otherwise reconcile with the venue.
   */
  readonly unownedFills: number;
}

interface OpenTrade {
  direction: 'long' | 'short';
  entryTime: number;
  quantity: number;
  realized: number;
  fees: number;
}

/**
 * The engine's record of one strategy's dealings in one symbol. Made on the strategy's first signal for the
 * symbol and kept for the run, so trading adds and drops no Map entries: a Map that keeps losing and gaining
 * entries replaces its hash table, and each dead table in old space kept the next one alive until a full
 * collection (the largest share of the RSS growth on a busy run).
 */
interface PositionTrack {
  readonly owner: SlotState;
  readonly symbol: string;
  /** An order was sent and has not filled yet: the strategy's signals for the symbol wait. */
  working: boolean;
  /** Orders that may still fill for the position (bracket legs fill as `<id>:<leg>`); emptied when it is flat. */
  readonly orderIds: string[];
  /** The trade in progress; undefined while flat. */
  open: OpenTrade | undefined;
  /** The limit entry that is working, or undefined. */
  limitOrderId: string | undefined;
  /** Bars of the symbol the working limit entry may still wait after the one in progress; then it is cancelled. */
  limitBarsLeft: number;
}

/** A booked fill, as the plugins are told of it. */
interface FillNews {
  readonly state: SlotState;
  readonly fill: Fill;
  /** The strategy's quantity in the symbol before and after the fill. */
  readonly before: number;
  readonly after: number;
  /** Realised P&L of the fill, in the account's currency. */
  readonly realized: number;
  readonly portfolio: PortfolioSnapshot;
  /** The account's position in the symbol after the fill; undefined when flat. */
  readonly position: Position | undefined;
}

interface SlotState {
  readonly slot: StrategySlot;
  readonly plugin: ManagedPlugin;
  /** Whether the plugin was active when the engine last looked (`refreshActive`). */
  active: boolean;
  readonly sizer: PositionSizer;
  /** The strategy's slice of the account (its allocation in cents), bound to its book in the ledger. */
  readonly account: StrategySlice;
  onBar: HookSite;
  onFill: HookSite;
  signals: number;
  submitted: number;
  denied: number;
  tradeCount: number;
  readonly trades: TradeLog;
  /** By symbol. */
  readonly positions: Map<string, PositionTrack>;
  readonly curve: EquitySampler;
  readonly metrics: RunningMetrics;
}

/** What a paper session checkpoints after each bar and resumes from: plain JSON. */
export interface EngineState {
  readonly time: number;
  readonly bars: number;
  readonly sequence: number;
  readonly ledger: LedgerState;
  /** Orders that may still fill: order id, strategy, symbol. */
  readonly orderOwner: readonly (readonly [string, string, string])[];
  readonly working: readonly string[];
  /** Limit entries working: strategy, symbol, order id, bars left. Absent in checkpoints written before limits. */
  readonly limitOrders?: readonly (readonly [string, string, string, number])[];
  /** Absent in checkpoints written before it was counted. */
  readonly unownedFills?: number;
  readonly curve: EquitySamplerState;
  readonly metrics: RunningMetricsState;
  readonly slots: readonly {
    readonly instanceId: string;
    readonly signals: number;
    readonly submitted: number;
    readonly denied: number;
    readonly tradeCount: number;
    readonly trades: readonly TradeRecord[];
    readonly open: readonly (readonly [string, OpenTrade])[];
    readonly curve: EquitySamplerState;
    readonly metrics: RunningMetricsState;
  }[];
}

const MAX_DENIALS = 1_000;

/**
 * Runs bars through the plugins: the broker fills what was ordered on earlier bars, the ledger books the fills,
 * strategies and risk plugins hear about them, then the routed strategies see the bar, and their signals are
 * sized, checked by the risk gate and sent to the broker. Orders made on bar t fill on a later bar of the symbol.
 * Paper trading uses the same `process` step with live bars.
 */
export class BacktestEngine {
  private readonly ledger: Ledger;
  private readonly gate: RiskGate;
  private readonly router: SignalRouter;
  private readonly slots: SlotState[];
  /** The slots that trade (not shadow): whose equity is recorded on every bar. */
  private readonly tradingSlots: readonly SlotState[];
  private readonly slotById = new Map<string, SlotState>();
  /** Every strategy's track of each symbol: whose order a fill is for, in one look-up. */
  private readonly tracksBySymbol = new Map<string, PositionTrack[]>();
  /** The slots of each route list the router hands out (one list per series, the same array every time). */
  private readonly slotsOfRoutes = new Map<readonly StrategyRoute[], readonly SlotState[]>();
  /** The series of the last bar and its slots: consecutive bars usually belong to one series. */
  private routedSymbol: string | undefined;
  private routedTimeframe: Timeframe | undefined;
  private routedSlots: readonly SlotState[] = [];
  /** Builds the coarser timeframes strategies asked for; undefined when none did. */
  private readonly aggregator: BarAggregator | undefined;
  /** With no `timeframe` named, the timeframe each symbol is fed in: one per symbol (see `checkSeries`). */
  private readonly fedTimeframe = new Map<string, Timeframe>();
  private readonly risk: { readonly plugin: ManagedPlugin; readonly onBar: HookSite; readonly onFill: HookSite; active: boolean }[];
  private readonly manager: PluginManager;
  private readonly guard: HookGuard;
  private readonly bus: EventBus;
  /** `manager.stateChanges` when the `active` flags were last read. */
  private activeAsOf = -1;
  /** Set by the run's abort signal: the run stops before the next bar. */
  private stopRequested = false;
  private readonly broker: ManagedPlugin;
  private readonly brokerOnBar: HookSite;
  private readonly brokerSubmit: HookSite;
  private readonly brokerCancel: HookSite;
  /** Limit entries working across all strategies: while none is, a bar looks for none to expire. */
  private limitsWorking = 0;
  private readonly denials: Denial[] = [];
  private readonly curve: EquitySampler;
  private readonly metrics: RunningMetrics;
  /**
   * Whether anyone listens to each topic the engine publishes, as of the bus's `changes` count in `listenersAsOf`:
   * a payload nobody hears is neither built nor published (each look at the bus is a Map look-up).
   */
  private listenersAsOf = -1;
  private barListened = false;
  private equityListened = false;
  private signalListened = false;
  private orderListened = false;
  private fillListened = false;
  private tradeListened = false;
  private positionListened = false;
  private currentTime = Number.NEGATIVE_INFINITY;
  /** Whether the bars at `currentTime` were only warmed up on. */
  private warmOnly = false;
  private bars = 0;
  private unownedFills = 0;
  private sequence = 0;
  private interrupted = false;

  constructor(private readonly options: BacktestOptions) {
    const { manager } = options;
    this.manager = manager;
    this.guard = manager.guard;
    this.bus = manager.bus;
    this.ledger = new Ledger(options.capital, options.currency ?? 'USD');
    this.gate = new RiskGate(manager, options.riskIds);
    const total = options.strategies.reduce((s, x) => s + (x.shadow === true ? 0 : x.allocation), 0);
    if (total > 1 + 1e-9) throw new RangeError(`strategy allocations add up to ${(total * 100).toFixed(1)}% of capital; they must not exceed 100%`);
    const metricsOptions = { periodsPerYear: options.periodsPerYear, ...(options.riskFreeRate === undefined ? {} : { riskFreeRate: options.riskFreeRate }) };
    const keepPoints = options.keepEquityPoints ?? 2_048;
    this.curve = new EquitySampler(keepPoints);
    this.metrics = new RunningMetrics(metricsOptions);
    this.slots = options.strategies.map((slot) => {
      const plugin = this.require(slot.instanceId, 'strategy');
      const state: SlotState = {
        slot,
        plugin,
        active: false,
        sizer: new PositionSizer(slot.sizing),
        account: this.ledger.slice(slot.instanceId, toCents(options.capital * slot.allocation)),
        onBar: manager.guard.site(plugin.guarded, 'onBar', plugin.instance!),
        onFill: manager.guard.site(plugin.guarded, 'onFill', plugin.instance!),
        signals: 0,
        submitted: 0,
        denied: 0,
        tradeCount: 0,
        trades: new TradeLog(slot.instanceId, options.keepTrades ?? 1_000),
        positions: new Map(),
        curve: new EquitySampler(keepPoints),
        metrics: new RunningMetrics(metricsOptions),
      };
      this.slotById.set(slot.instanceId, state);
      return state;
    });
    this.tradingSlots = this.slots.filter((s) => s.slot.shadow !== true);
    const built = builtTimeframes(options);
    this.aggregator = built.length === 0 ? undefined : new BarAggregator(built);
    // A strategy that names no timeframes sees the bars as fed, not the ones built for others.
    const fed = TIMEFRAMES.filter((t) => !built.includes(t));
    this.router = new SignalRouter(
      options.strategies.map((s) => ({
        instanceId: s.instanceId,
        strategy: this.slotById.get(s.instanceId)!.plugin.spec.plugin.id,
        shadow: s.shadow === true,
        acceptsAlerts: false,
        ...(s.symbols === undefined ? {} : { symbols: s.symbols }),
        ...(s.timeframes === undefined ? (built.length === 0 ? {} : { timeframes: fed }) : { timeframes: s.timeframes }),
      })),
    );
    this.risk = options.riskIds.map((id) => {
      const plugin = this.require(id, 'risk');
      return { plugin, onBar: manager.guard.site(plugin.guarded, 'onBar', plugin.instance!), onFill: manager.guard.site(plugin.guarded, 'onFill', plugin.instance!), active: false };
    });
    this.broker = this.require(options.brokerId, 'broker');
    this.brokerOnBar = manager.guard.site(this.broker.guarded, 'onBar', this.broker.instance!);
    this.brokerSubmit = manager.guard.site(this.broker.guarded, 'submit', this.broker.instance!);
    this.brokerCancel = manager.guard.site(this.broker.guarded, 'cancel', this.broker.instance!);
  }

  /**
   * Runs every bar (time-ordered across symbols) and returns the results. The bars come one by one, or in pages
   * (`mergePages` makes them from data plugins without loading the history). When `signal` aborts, the run stops
   * after the bar in progress and the results cover the bars processed so far (`interrupted` is set).
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
    return this.finish();
  }

  /** The time of the bar in progress, or of the last one processed; -Infinity before the first. */
  get time(): number {
    return this.currentTime;
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
    this.checkOrder(bar);
    this.currentTime = bar.time;
    this.warmOnly = true;
    this.bars++;
    return this.runBar(bar, false, -1, 0);
  }

  /** The account, the orders in flight and the per-strategy tallies, for a checkpoint. */
  snapshot(): EngineState {
    return {
      time: this.currentTime,
      bars: this.bars,
      sequence: this.sequence,
      ledger: this.ledger.toState(),
      orderOwner: this.slots.flatMap((s) => [...s.positions.values()].flatMap((p) => p.orderIds.map((id) => [id, s.slot.instanceId, p.symbol] as const))),
      working: this.slots.flatMap((s) => [...s.positions.values()].filter((p) => p.working).map((p) => positionKey(s.slot.instanceId, p.symbol))),
      limitOrders: this.slots.flatMap((s) => [...s.positions.values()].flatMap((p) => (p.limitOrderId === undefined ? [] : [[s.slot.instanceId, p.symbol, p.limitOrderId, p.limitBarsLeft] as const]))),
      unownedFills: this.unownedFills,
      curve: this.curve.toState(),
      metrics: this.metrics.toState(),
      slots: this.slots.map((s) => ({
        instanceId: s.slot.instanceId,
        signals: s.signals,
        submitted: s.submitted,
        denied: s.denied,
        tradeCount: s.tradeCount,
        trades: s.trades.toArray(),
        open: [...s.positions.values()].flatMap((p) => (p.open === undefined ? [] : [[p.symbol, { ...p.open }] as const])),
        curve: s.curve.toState(),
        metrics: s.metrics.toState(),
      })),
    };
  }

  /** Continues from a checkpoint of an engine with the same strategies, capital and currency. */
  restore(state: EngineState): void {
    this.ledger.restore(state.ledger);
    // The checkpoint was taken inside its bar time, before that time's equity point: the point is still to come.
    this.currentTime = Math.max(this.currentTime, state.time);
    this.warmOnly = false;
    this.sequence = state.sequence;
    this.bars += state.bars;
    for (const s of this.slots) s.positions.clear();
    this.tracksBySymbol.clear();
    for (const [id, strategyId, symbol] of state.orderOwner) {
      const slot = this.slotById.get(strategyId);
      if (slot !== undefined) this.trackOf(slot, symbol).orderIds.push(id);
    }
    for (const key of state.working) {
      for (const s of this.slots) {
        const prefix = positionKey(s.slot.instanceId, '');
        if (key.startsWith(prefix)) this.trackOf(s, key.slice(prefix.length)).working = true;
      }
    }
    this.limitsWorking = 0;
    for (const [strategyId, symbol, orderId, barsLeft] of state.limitOrders ?? []) {
      const slot = this.slotById.get(strategyId);
      if (slot === undefined) continue;
      const track = this.trackOf(slot, symbol);
      track.limitOrderId = orderId;
      track.limitBarsLeft = barsLeft;
      this.limitsWorking++;
    }
    this.unownedFills = state.unownedFills ?? 0;
    this.curve.restore(state.curve);
    this.metrics.restore(state.metrics);
    for (const saved of state.slots) {
      const slot = this.slotById.get(saved.instanceId);
      if (slot === undefined) continue;
      slot.signals = saved.signals;
      slot.submitted = saved.submitted;
      slot.denied = saved.denied;
      slot.tradeCount = saved.tradeCount;
      for (const t of saved.trades) slot.trades.push(t);
      for (const [symbol, trade] of saved.open) this.trackOf(slot, symbol).open = { ...trade };
      slot.curve.restore(saved.curve);
      slot.metrics.restore(saved.metrics);
    }
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
    this.checkOrder(bar);
    if (bar.time > this.currentTime) {
      this.recordEquity();
      this.currentTime = bar.time;
      this.warmOnly = false;
    }
    this.bars++;
    return this.runBar(bar, true, -1, 0);
  }

  /**
   * Before the broker sees a bar: each working limit entry of its symbol has one bar fewer to wait, and one that
   * has none left is cancelled, so the strategy may signal again.
   */
  private expireLimits(bar: Bar, from: number): void | Promise<void> {
    const tracks = this.tracksBySymbol.get(bar.symbol);
    if (tracks === undefined) return;
    for (let i = from; i < tracks.length; i++) {
      const track = tracks[i]!;
      if (track.limitOrderId === undefined) continue;
      if (track.limitBarsLeft > 0) {
        track.limitBarsLeft--;
        continue;
      }
      const pending = this.cancelLimit(track);
      if (pending !== undefined) return this.expireLimitsAfter(pending, bar, i + 1);
    }
  }

  private expireLimitsAfter(pending: Promise<void>, bar: Bar, next: number): Promise<void> {
    return pending.then(() => this.expireLimits(bar, next));
  }

  /** Asks the broker to cancel a limit entry whose bars ran out. */
  private cancelLimit(track: PositionTrack): void | Promise<void> {
    const site = this.brokerCancel;
    let answer: Order | undefined | typeof HOOK_FAILED | Promise<Order | undefined | typeof HOOK_FAILED>;
    try {
      const out = (site.self as Broker).cancel(track.limitOrderId!);
      if (out === undefined) this.guard.returnedNothing(site);
      answer = out === undefined ? undefined : this.guard.returned<Order | undefined>(site, out);
    } catch (error) {
      answer = this.guard.threw(site, error);
    }
    if (answer instanceof Promise) return this.limitCancelledAfter(answer, track);
    this.limitCancelled(track, answer);
  }

  private limitCancelledAfter(pending: Promise<Order | undefined | typeof HOOK_FAILED>, track: PositionTrack): Promise<void> {
    return pending.then((answer) => this.limitCancelled(track, answer));
  }

  /**
   * What the broker made of a cancel: the order is gone (cancelled, or unknown to it) and the strategy may signal
   * again; a cancel that failed is tried again on the symbol's next bar. The order's id stays among those that may
   * fill, so a fill the venue made before it heard of the cancel is still booked.
   */
  private limitCancelled(track: PositionTrack, answer: Order | undefined | typeof HOOK_FAILED): void {
    if (answer === HOOK_FAILED || track.limitOrderId === undefined) return;
    this.limitDone(track);
    track.working = false;
    this.refreshListeners();
    if (answer !== undefined && this.orderListened) this.bus.publish('order', { ...answer, reason: 'limit entry expired: not filled in the bars the signal allowed (validForBars)' });
  }

  private limitDone(track: PositionTrack): void {
    track.limitOrderId = undefined;
    track.limitBarsLeft = 0;
    this.limitsWorking--;
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

  // The continuations below live in methods of their own, as `resumeBar` does: a closure in the method that may
  // need it would make every call allocate a context.
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
      // From the strategies on: the broker, the ledger and the risk plugins keep to the fed bars.
      const pending = this.runBar(bars[i]!, trade, this.risk.length, 0);
      if (pending !== undefined) return this.runBuiltAfter(pending, bars, i + 1, trade);
    }
  }

  private runBuiltAfter(pending: Promise<void>, bars: readonly Bar[], next: number, trade: boolean): Promise<void> {
    return pending.then(() => this.runBuilt(bars, next, trade));
  }

  /** The results so far; `interrupted` marks a run stopped early by its driver (a paper session's Ctrl-C). */
  finish(interrupted = this.interrupted): BacktestResult {
    this.interrupted = interrupted;
    this.recordEquity();
    // The point just recorded is booked; a later `finish` must not book it again.
    this.warmOnly = true;
    return {
      bars: this.bars,
      interrupted: this.interrupted,
      equity: this.curve.points(),
      metrics: this.metrics.length >= 2 ? this.metrics.result() : undefined,
      strategies: this.slots.map((s) => ({
        instanceId: s.slot.instanceId,
        shadow: s.slot.shadow === true,
        signals: s.signals,
        ordersSubmitted: s.submitted,
        ordersDenied: s.denied,
        tradeCount: s.tradeCount,
        trades: s.trades.toArray(),
        finalEquity: s.account.equity(),
        equity: s.curve.points(),
        metrics: s.slot.shadow !== true && s.metrics.length >= 2 ? s.metrics.result() : undefined,
      })),
      portfolio: this.ledger.snapshot(this.currentTime),
      denials: this.denials,
      unownedFills: this.unownedFills,
    };
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

  /** The strategies a bar of another series than the last goes to. */
  private route(bar: Bar): readonly SlotState[] {
    if (this.aggregator === undefined) this.checkSeries(bar);
    const routes = this.router.forBar(bar);
    let slots = this.slotsOfRoutes.get(routes);
    if (slots === undefined) {
      slots = routes.map((r) => this.slotById.get(r.instanceId)!);
      this.slotsOfRoutes.set(routes, slots);
    }
    this.routedSymbol = bar.symbol;
    this.routedTimeframe = bar.timeframe;
    this.routedSlots = slots;
    return slots;
  }

  /** Reads the plugins' states again if any has changed since the last look; hooks of inactive plugins are skipped. */
  private refreshActive(): void {
    if (this.manager.stateChanges !== this.activeAsOf) this.readActive();
  }

  private readActive(): void {
    this.activeAsOf = this.manager.stateChanges;
    for (const r of this.risk) r.active = r.plugin.machine.state === 'active';
    for (const s of this.slots) s.active = s.plugin.machine.state === 'active';
  }

  /**
   * A symbol is fed in one timeframe. Bars are taken in open-time order, so a coarser bar fed beside finer ones
   * would reach the strategies before it closed: a look into the future. Coarser bars are built instead.
   */
  private checkSeries(bar: Bar): void {
    const { timeframe } = this.options;
    if (timeframe !== undefined) {
      if (bar.timeframe !== timeframe) throw mixedTimeframes(bar, timeframe, true);
      return;
    }
    const fed = this.fedTimeframe.get(bar.symbol);
    if (fed === undefined) this.fedTimeframe.set(bar.symbol, bar.timeframe);
    else if (fed !== bar.timeframe) throw mixedTimeframes(bar, fed, false);
  }

  private checkOrder(bar: Bar): void {
    if (bar.time < this.currentTime) throw outOfOrder(bar, this.currentTime);
  }

  /**
   * One bar through the plugins. Trading: the broker fills what is due, the ledger books it and marks the symbol,
   * the bar is published. Always: risk plugins, sizers and the routed strategies see the bar. Trading: what the
   * strategies signal is acted on. Written as one function of plain calls and loops (measurably faster than a
   * function per stage), so a bar whose hooks all answer synchronously allocates nothing. A hook that returns a
   * promise parks the rest of the bar behind it; the bar then resumes here from the next hook (`riskFrom`,
   * `strategyFrom`; a `riskFrom` of -1 is the start, -2 the start with the limit entries already expired), with
   * the plugins' states read again.
   *
   * The `onBar` hooks are called here, not through `guard.call`, and booked with the guard's `returnedNothing`,
   * `returned` and `threw`: each call site keeps its own type feedback, so V8 can inline the hooks into the bar
   * (through `call`'s one site they never are), and one try/catch covers the bar. `calling` is the hook in flight:
   * what it throws is its plugin's failure, and the bar goes on from the next hook; anything else is the engine's.
   * Every kind's `onBar` may answer undefined, so only other answers are checked.
   */
  private runBar(bar: Bar, trade: boolean, riskFrom: number, strategyFrom: number): void | Promise<void> {
    this.refreshActive();
    const { guard, risk } = this;
    let calling: HookSite | undefined;
    let at = 0;
    try {
      if (riskFrom < 0) {
        if (trade) {
          // Limit entries whose bars ran out are cancelled before the broker sees the bar (-2: already done).
          if (riskFrom === -1 && this.limitsWorking !== 0) {
            const expired = this.expireLimits(bar, 0);
            if (expired !== undefined) return this.resumeBar(expired, bar, trade, -2, 0);
          }
          const site = this.brokerOnBar;
          calling = site;
          const answer = site.fn!.call(site.self, bar);
          calling = undefined;
          let fills: readonly Fill[] | void | typeof HOOK_FAILED | Promise<readonly Fill[] | void | typeof HOOK_FAILED> = undefined;
          if (answer === undefined) guard.returnedNothing(site);
          else fills = guard.returned<readonly Fill[] | void>(site, answer);
          // Most bars fill nothing: straight on to the mark and the other plugins.
          if (fills !== undefined) return fills instanceof Promise ? this.afterFillsSettle(fills, bar) : this.afterFills(bar, fills);
          this.markBar(bar);
        }
        riskFrom = 0;
      }
      for (at = riskFrom; at < risk.length; at++) {
        const r = risk[at]!;
        const site = r.onBar;
        if (!r.active || site.fn === undefined) continue;
        calling = site;
        const out = site.fn.call(site.self, bar);
        calling = undefined;
        if (out === undefined) guard.returnedNothing(site);
        else {
          const checked = guard.returned<void>(site, out);
          if (checked instanceof Promise) return this.resumeBar(checked, bar, trade, at + 1, 0);
        }
      }
      // Consecutive bars usually belong to one series, whose strategies are at hand.
      const slots = bar.symbol === this.routedSymbol && bar.timeframe === this.routedTimeframe ? this.routedSlots : this.route(bar);
      for (at = strategyFrom; at < slots.length; at++) {
        const state = slots[at]!;
        state.sizer.onBar(bar);
        if (!state.active) continue;
        const site = state.onBar;
        calling = site;
        const out = site.fn!.call(site.self, bar);
        calling = undefined;
        // Most bars bring no signal: nothing to act on, nothing to wait for.
        if (out === undefined) {
          guard.returnedNothing(site);
          continue;
        }
        const checked = guard.returned<Signal | readonly Signal[] | null | undefined>(site, out);
        const pending = checked instanceof Promise ? this.actOnSettle(checked, state, bar, trade) : this.actOn(state, checked, bar, trade);
        if (pending !== undefined) return this.resumeBar(pending, bar, trade, risk.length, at + 1);
      }
    } catch (error) {
      if (calling === undefined) throw error;
      guard.threw(calling, error);
      if (calling === this.brokerOnBar) return this.afterFills(bar, HOOK_FAILED);
      return calling.plugin.kind === 'risk' ? this.runBar(bar, trade, at + 1, 0) : this.runBar(bar, trade, risk.length, at + 1);
    }
  }

  // The continuations of a bar whose hook answered with a promise. Each closure lives in a method of its own: a
  // variable that a closure in `runBar` (or `onSignal`, `book`...) captured would make every call of it allocate
  // a context, promise or not.

  /** The rest of the bar once `pending` settles, from risk plugin `riskFrom` or strategy `strategyFrom`. */
  private resumeBar(pending: Promise<unknown>, bar: Bar, trade: boolean, riskFrom: number, strategyFrom: number): Promise<void> {
    return pending.then(() => this.runBar(bar, trade, riskFrom, strategyFrom));
  }

  private afterFillsSettle(pending: Promise<readonly Fill[] | void | typeof HOOK_FAILED>, bar: Bar): Promise<void> {
    return pending.then((fills) => this.afterFills(bar, fills));
  }

  private actOnSettle(pending: Promise<Signal | readonly Signal[] | null | undefined | typeof HOOK_FAILED>, state: SlotState, bar: Bar, trade: boolean): Promise<void> {
    return pending.then((out) => this.actOn(state, out, bar, trade));
  }

  /** Books the fills from `from` on in turn, then marks the bar and runs the rest of it. */
  private afterFills(bar: Bar, fills: readonly Fill[] | void | typeof HOOK_FAILED, from = 0): void | Promise<void> {
    if (fills !== HOOK_FAILED && fills !== undefined) {
      for (let i = from; i < fills.length; i++) {
        const pending = this.book(fills[i]!);
        if (pending !== undefined) return this.afterBookingSettle(pending, bar, fills, i + 1);
      }
    }
    return this.afterBooking(bar);
  }

  private afterBookingSettle(pending: Promise<void>, bar: Bar, fills: readonly Fill[], next: number): Promise<void> {
    return pending.then(() => this.afterFills(bar, fills, next));
  }

  private afterBooking(bar: Bar): void | Promise<void> {
    this.markBar(bar);
    return this.runBar(bar, true, 0, 0);
  }

  private markBar(bar: Bar): void {
    this.ledger.mark(bar.symbol, bar.close);
    this.refreshListeners();
    if (this.barListened) this.bus.publish('bar', bar);
  }

  /** What a strategy's answer to a bar leads to: nothing while warming up, else each signal acted on in turn. */
  private actOn(state: SlotState, out: Signal | readonly Signal[] | null | undefined | typeof HOOK_FAILED, bar: Bar, trade: boolean, from = 0): void | Promise<void> {
    if (!trade || out === HOOK_FAILED || out === undefined || out === null) return;
    if (!Array.isArray(out)) return this.onSignal(state, out as Signal, bar);
    const signals = out as readonly Signal[];
    for (let i = from; i < signals.length; i++) {
      const pending = this.onSignal(state, signals[i]!, bar);
      if (pending !== undefined) return this.actOnRest(pending, state, signals, bar, i + 1);
    }
  }

  private actOnRest(pending: Promise<void>, state: SlotState, signals: readonly Signal[], bar: Bar, next: number): Promise<void> {
    return pending.then(() => this.actOn(state, signals, bar, true, next));
  }

  /**
   * One signal: sized, checked by the risk gate, sent to the broker. Written as plain calls, each stage handing
   * the next one its result (`submit`, then `track`), so a signal whose hooks answer synchronously costs no
   * generator and no promise; a hook that answers with a promise parks the stages after it.
   */
  private onSignal(state: SlotState, signal: Signal, bar: Bar): void | Promise<void> {
    const { bus } = this;
    const strategyId = state.slot.instanceId;
    state.signals++;
    const shadow = state.slot.shadow === true;
    this.refreshListeners();
    if (this.signalListened) bus.publish('signal', { strategyId, signal: signal.time === undefined ? { ...signal, time: bar.time } : signal, shadow });
    // The engine's time, not the bar's: a bar built from the fed ones opened before the fed bar that completed it.
    const now = this.currentTime;
    if (shadow || now < (this.options.tradeFrom ?? Number.NEGATIVE_INFINITY)) return;
    const symbol = signal.symbol;
    const track = this.trackOf(state, symbol);
    if (track.working) return;
    const held = this.ledger.quantity(strategyId, symbol);
    let price = bar.close;
    let limit: number | undefined;
    let side: 'buy' | 'sell';
    let quantity: number;
    let reduceOnly = false;
    if (signal.side === 'exit' || (signal.side === 'buy' && held < 0) || (signal.side === 'sell' && held > 0)) {
      if (held === 0) return;
      side = held > 0 ? 'sell' : 'buy';
      quantity = Math.abs(held);
      reduceOnly = true;
    } else {
      if (held !== 0) return;
      if (signal.side === 'sell' && this.options.allowShort !== true) return;
      side = signal.side;
      // A limit entry is sized, and judged by the risk plugins, at its limit.
      limit = signal.limitPrice;
      if (limit !== undefined) price = limit;
      const equity = state.account.equity();
      const sized = state.sizer.size(signal, price, equity, bar.timeframe);
      if (sized.quantity === 0) return;
      quantity = sized.quantity;
    }
    const intent: Mutable<OrderIntent> = { id: `${strategyId}-${++this.sequence}`, symbol, side, quantity, type: limit === undefined ? 'market' : 'limit', reduceOnly, strategyId, time: now, referencePrice: price, signal };
    if (limit !== undefined) intent.limitPrice = limit;
    // Added, not spread in: a spread copies through a generic builtin on every order.
    if (!reduceOnly && signal.stopLoss !== undefined) intent.stopLoss = signal.stopLoss;
    if (!reduceOnly && signal.takeProfit !== undefined) intent.takeProfit = signal.takeProfit;
    const verdict = this.gate.check(intent, this.ledger.snapshot(now));
    return verdict instanceof Promise ? this.submitSettle(verdict, state, track) : this.submit(state, track, verdict);
  }

  private submitSettle(pending: Promise<RiskVerdict>, state: SlotState, track: PositionTrack): Promise<void> {
    return pending.then((verdict) => this.submit(state, track, verdict));
  }

  /** An approved order goes to the broker; a denied one is counted and kept among the denials. */
  private submit(state: SlotState, track: PositionTrack, verdict: RiskVerdict): void | Promise<void> {
    if (!verdict.approved) {
      state.denied++;
      if (this.denials.length < MAX_DENIALS) this.denials.push({ time: this.currentTime, strategyId: state.slot.instanceId, symbol: track.symbol, deniedBy: verdict.deniedBy, code: verdict.code, message: verdict.message });
      return;
    }
    // Called as a method of the broker, as the fill hooks are (see `tellOfFill`).
    const site = this.brokerSubmit;
    let order: Order | typeof HOOK_FAILED | Promise<Order | typeof HOOK_FAILED>;
    try {
      order = this.guard.returned<Order>(site, (site.self as Broker).submit(verdict.intent));
    } catch (error) {
      order = this.guard.threw(site, error);
    }
    if (order instanceof Promise) return this.trackSettle(order, state, track);
    this.track(state, track, order);
  }

  private trackSettle(pending: Promise<Order | typeof HOOK_FAILED>, state: SlotState, track: PositionTrack): Promise<void> {
    return pending.then((order) => this.track(state, track, order));
  }

  /** What the broker made of an order: published, and unless rejected, the position waits for its fill. */
  private track(state: SlotState, track: PositionTrack, order: Order | typeof HOOK_FAILED): void {
    if (order === HOOK_FAILED) return;
    this.refreshListeners();
    if (this.orderListened) this.bus.publish('order', order);
    if (order.status === 'rejected') return;
    state.submitted++;
    track.orderIds.push(order.id);
    track.working = true;
    // A broker that cannot cancel keeps a limit entry until it fills.
    if (order.type === 'limit' && this.brokerCancel.fn !== undefined) {
      track.limitOrderId = order.id;
      track.limitBarsLeft = order.signal?.validForBars ?? 1;
      this.limitsWorking++;
    }
  }

  /** The position whose order (or bracket leg, `<entry id>:<leg>`) filled, if the order is still tracked. */
  private trackOfFill(fill: Fill): PositionTrack | undefined {
    const tracks = this.tracksBySymbol.get(fill.symbol);
    if (tracks === undefined) return undefined;
    const held = holding(tracks, fill.orderId);
    if (held !== undefined) return held;
    const leg = fill.orderId.lastIndexOf(':');
    return leg < 0 ? undefined : holding(tracks, fill.orderId.slice(0, leg));
  }

  /** The strategy's track of a symbol, made on first use. */
  private trackOf(state: SlotState, symbol: string): PositionTrack {
    let track = state.positions.get(symbol);
    if (track === undefined) {
      track = { owner: state, symbol, working: false, orderIds: [], open: undefined, limitOrderId: undefined, limitBarsLeft: 0 };
      state.positions.set(symbol, track);
      const tracks = this.tracksBySymbol.get(symbol);
      if (tracks === undefined) this.tracksBySymbol.set(symbol, [track]);
      else tracks.push(track);
    }
    return track;
  }

  /** Books a fill: ledger and trade records, then the notifications (`tellOfFill`). */
  private book(fill: Fill): void | Promise<void> {
    const track = this.trackOfFill(fill);
    this.refreshListeners();
    if (track === undefined) {
      this.unownedFills++;
      if (this.fillListened) this.bus.publish('fill', fill);
      return;
    }
    const state = track.owner;
    const strategyId = state.slot.instanceId;
    track.working = false;
    // An entry is sent only while flat, so a fill while a limit entry works is that entry's.
    if (track.limitOrderId !== undefined) this.limitDone(track);
    const effect = this.ledger.applyFill(strategyId, fill);
    this.trackTrade(state, track, fill, effect.quantityBefore, effect.quantityAfter, effect.realized / 100, effect.fee / 100);
    // A flat position with nothing working has no order left that can fill (brackets go with their position).
    // Emptied by popping: setting `length` is a call into the runtime.
    if (effect.quantityAfter === 0) while (track.orderIds.length > 0) track.orderIds.pop();
    if (this.fillListened) this.bus.publish('fill', fill);
    const portfolio = this.ledger.snapshot(fill.time);
    const news: FillNews = {
      state,
      fill,
      before: effect.quantityBefore,
      after: effect.quantityAfter,
      realized: effect.realized / 100,
      portfolio,
      position: positionIn(portfolio, fill.symbol),
    };
    return this.tellOfFill(news, 0);
  }

  /**
   * Tells the plugins of a booked fill, from step `from`: 0 the owning strategy's `onFill`, 1 + i risk plugin i's,
   * then the gate's position opened or closed; then the position is published. A hook that answers with a
   * promise parks the steps after it.
   */
  private tellOfFill(news: FillNews, from: number): void | Promise<void> {
    const { guard, risk } = this;
    const { state, fill, portfolio } = news;
    for (let step = from; step <= risk.length + 1; step++) {
      let out: unknown;
      // The hooks are called as methods of their instances and booked with the guard's `returned`/`threw`, as
      // `guard.call` would book them: through `call`'s one call site, which sees every plugin's functions, each
      // call is a generic one; a method call lets V8 tell the instances apart by their shapes.
      if (step === 0) {
        const site = state.onFill;
        // A strategy without `onFill` costs no look-up of its position.
        if (site.fn === undefined || state.plugin.machine.state !== 'active') continue;
        const mine = this.ledger.positionOf(state.slot.instanceId, fill.symbol);
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
          const answer = (site.self as RiskManager).onFill!(fill, portfolio);
          out = answer === undefined ? guard.returnedNothing(site) : guard.returned(site, answer);
        } catch (error) {
          out = guard.threw(site, error);
        }
      } else {
        out = this.positionChanged(news);
      }
      if (out instanceof Promise) return this.tellOfFillSettle(out, news, step + 1);
    }
    this.refreshListeners();
    if (news.position !== undefined && this.positionListened) this.bus.publish('position', news.position);
  }

  private tellOfFillSettle(pending: Promise<unknown>, news: FillNews, next: number): Promise<void> {
    return pending.then(() => this.tellOfFill(news, next));
  }

  /** The risk gate hears of a position opened or closed by a fill. */
  private positionChanged({ state, fill, before, after, realized, portfolio, position }: FillNews): void | Promise<void> {
    if (before === 0 && after !== 0 && position !== undefined) return this.gate.positionOpened(position, portfolio);
    if (before !== 0 && after === 0) {
      const closed = { symbol: fill.symbol, quantity: 0, averagePrice: fill.price, marketPrice: fill.price, unrealizedPnl: 0, realizedPnl: realized, openedAt: fill.time, strategyId: state.slot.instanceId };
      return this.gate.positionClosed(closed, portfolio);
    }
  }

  private trackTrade(state: SlotState, track: PositionTrack, fill: Fill, before: number, after: number, realized: number, fee: number): void {
    let open = track.open;
    if (open === undefined && after !== 0) {
      open = { direction: after > 0 ? 'long' : 'short', entryTime: fill.time, quantity: 0, realized: 0, fees: 0 };
      track.open = open;
    }
    if (open === undefined) return;
    open.realized += realized;
    open.fees += fee;
    open.quantity = Math.max(open.quantity, Math.abs(after));
    const flipped = before !== 0 && after !== 0 && Math.sign(before) !== Math.sign(after);
    if (after === 0 || flipped) {
      const pnl = Math.round((open.realized - open.fees) * 100) / 100;
      const trade: TradeRecord = { strategyId: state.slot.instanceId, symbol: fill.symbol, direction: open.direction, quantity: open.quantity, entryTime: open.entryTime, exitTime: fill.time, pnl, fees: open.fees };
      state.trades.push(trade);
      state.tradeCount++;
      state.metrics.addTrade(pnl);
      if (state.slot.shadow !== true) this.metrics.addTrade(pnl);
      this.refreshListeners();
      if (this.tradeListened) this.bus.publish('trade', trade);
      track.open = flipped ? { direction: after > 0 ? 'long' : 'short', entryTime: fill.time, quantity: Math.abs(after), realized: 0, fees: 0 } : undefined;
    }
  }

  /** Books the equity of the time just completed: account and strategies, into the metrics, curves and journal. */
  private recordEquity(): void {
    // A time only warmed up on has no account activity: no equity point (a resumed session recorded it already).
    if (this.currentTime === Number.NEGATIVE_INFINITY || this.warmOnly) return;
    const time = this.currentTime;
    const equity = this.ledger.equity();
    const exposed = this.ledger.isExposed();
    this.metrics.addPoint(time, equity, exposed);
    this.curve.add(time, equity, exposed);
    const slots = this.tradingSlots;
    for (let i = 0; i < slots.length; i++) {
      const s = slots[i]!;
      const slice = s.account.equity();
      // Its own positions, not the account's: a hedged book is flat while both strategies hold positions.
      const slotExposed = s.account.isExposed();
      s.metrics.addPoint(time, slice, slotExposed);
      s.curve.add(time, slice, slotExposed);
    }
    this.refreshListeners();
    if (this.equityListened) this.publishEquity(time, equity);
  }

  // Apart from `recordEquity`, which runs on every bar and stays small enough for its callees to be inlined.
  private publishEquity(time: number, equity: number): void {
    this.bus.publish('equity', { time, equity });
    for (const s of this.tradingSlots) this.bus.publish('equity', { time, equity: s.account.equity(), strategyId: s.slot.instanceId });
  }

  /** Asks the bus who listens only when its subscriptions have changed: the hot path then reads a flag per topic. */
  private refreshListeners(): void {
    if (this.bus.changes !== this.listenersAsOf) this.readListeners();
  }

  private readListeners(): void {
    const bus = this.bus;
    this.listenersAsOf = bus.changes;
    this.barListened = bus.hasSubscribers('bar');
    this.equityListened = bus.hasSubscribers('equity');
    this.signalListened = bus.hasSubscribers('signal');
    this.orderListened = bus.hasSubscribers('order');
    this.fillListened = bus.hasSubscribers('fill');
    this.tradeListened = bus.hasSubscribers('trade');
    this.positionListened = bus.hasSubscribers('position');
  }

  private require(id: string, kind: 'strategy' | 'risk' | 'broker'): ManagedPlugin {
    const p = this.manager.get(id);
    if (p === undefined || p.kind !== kind || p.instance === undefined) throw new RangeError(`"${id}" is not a started ${kind} plugin in this manager`);
    return p;
  }
}

/** The account's position in a symbol, if it holds one (a loop: `find` would allocate its callback per fill). */
function positionIn(portfolio: PortfolioSnapshot, symbol: string): Position | undefined {
  const { positions } = portfolio;
  for (let i = 0; i < positions.length; i++) if (positions[i]!.symbol === symbol) return positions[i];
  return undefined;
}

/** The track among a symbol's that has the order. */
function holding(tracks: readonly PositionTrack[], orderId: string): PositionTrack | undefined {
  for (let i = 0; i < tracks.length; i++) if (tracks[i]!.orderIds.includes(orderId)) return tracks[i];
  return undefined;
}

/** How long a run with an abort signal goes before handing the event loop a turn. */
const YIELD_EVERY_MS = 10;
const SLICE_DONE = 0;
const SLICE_STOPPED = 1;
const SLICE_USED = 2;
/** Why `runSlice` returned without a promise: out of bars, stop requested, time slice used up. */
type SliceEnd = typeof SLICE_DONE | typeof SLICE_STOPPED | typeof SLICE_USED;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

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

/** A fed bar of another timeframe than the run's (`named`), or than the symbol's bars before it. */
function mixedTimeframes(bar: Bar, fed: Timeframe, named: boolean): RangeError {
  if (named) return new RangeError(`the run is fed ${fed} bars and got a ${bar.timeframe} bar of ${bar.symbol}: feed only ${fed} bars; coarser ones are built from them for the strategies that list them`);
  return new RangeError(`${bar.symbol} came in ${fed} bars and then a ${bar.timeframe} bar: feed one timeframe per symbol, name it as the run's timeframe, and list coarser ones in the strategies' timeframes`);
}

/** Built apart from `checkOrder`: a number formatted in a hot function makes V8 box it on every call. */
function outOfOrder(bar: Bar, currentTime: number): RangeError {
  return new RangeError(`bars must arrive in time order: ${bar.symbol} at ${new Date(bar.time).toISOString()} came after ${new Date(currentTime).toISOString()}`);
}

