import { HOOK_FAILED, SignalRouter, type HookSite, type StrategyRoute } from '@trading-orchestrator/core-manager';
import { SeriesMap } from '@trading-orchestrator/indicators';
import type { Bar, Signal, Timeframe } from '@trading-orchestrator/plugin-api';
import type { RunContext } from '../run/run-context.js';
import type { SlotState } from '../run/slot-state.js';
import { mixedTimeframes } from '../run/mixed-timeframes.js';
import { ownSignal } from '../orders/own-signal.js';
import type { OrderDesk } from './order-desk.js';

type Output = Signal | readonly Signal[] | null | undefined;

interface SeriesRoute {
  readonly slots: readonly SlotState[];
  bars: number;
}

/**
 * The plugins' side of a bar: the risk plugins' `onBar` (fed bars only), then the strategies the router assigns the
 * bar to, whose signals are taken in (`intake`): counted, published, checked against what the run allows, and
 * queued at the order desk for the symbol's next bar. Each loop calls the hooks itself and books them with the
 * guard (`returnedNothing`, `returned`, `threw`): each call site keeps its own type feedback, so V8 can inline a
 * hook into the bar. A hook that returns a promise parks the rest of the stage behind it; it resumes from the next
 * hook.
 */
export class PluginBars {
  private readonly router: SignalRouter;
  /**
   * Per series: the strategies its bars go to (routed on its first bar) and the bars seen, a strategy's signals
   * counting once it has seen its `warmupBars` of the series. Found without a look-up for consecutive bars of one
   * series and for several symbols' bars in turn (`SeriesMap`).
   */
  private readonly seen: SeriesMap<SeriesRoute>;
  /** The series of the bar being handed out. */
  private routedSeen: SeriesRoute = { slots: [], bars: 0 };
  /** Fed bars per symbol before its signals count (the run's `warmupBars`, in bars of the run's timeframe). */
  private readonly runWarmup: number;
  private readonly tradeFrom: number;
  /** With no `timeframe` named, the timeframe each symbol is fed in: one per symbol (see `checkSeries`). */
  private readonly fedTimeframe = new Map<string, Timeframe>();
  /** Whether bars are checked for their series when routed: runs that build bars check every fed bar instead. */
  private readonly checksSeries: boolean;

  constructor(
    private readonly ctx: RunContext,
    private readonly desk: OrderDesk,
    /** The coarser timeframes built for strategies that asked; a strategy naming none sees the fed ones. */
    built: readonly Timeframe[],
    fed: readonly Timeframe[],
  ) {
    const { options } = ctx;
    this.runWarmup = options.warmupBars ?? 0;
    this.tradeFrom = options.tradeFrom ?? Number.NEGATIVE_INFINITY;
    this.checksSeries = built.length === 0;
    this.seen = new SeriesMap((symbol, timeframe) => this.route(symbol, timeframe));
    this.router = new SignalRouter(
      options.strategies.map((s) => ({
        instanceId: s.instanceId,
        strategy: ctx.slotById.get(s.instanceId)!.plugin.spec.plugin.id,
        shadow: s.shadow === true,
        acceptsAlerts: false,
        ...(s.symbols === undefined ? {} : { symbols: s.symbols }),
        ...(s.timeframes === undefined ? (built.length === 0 ? {} : { timeframes: fed }) : { timeframes: s.timeframes }),
      })),
    );
  }

  /** The run's indicators (updated first, so risk plugins and strategies read this bar's values), then the risk plugins' `onBar`, from plugin `from` on. */
  risk(bar: Bar, from: number): void | Promise<void> {
    const { guard, risk } = this.ctx;
    if (from === 0 && this.ctx.indicators !== undefined) this.ctx.indicators.update(bar, guard);
    for (let at = from; at < risk.length; at++) {
      const r = risk[at]!;
      const site = r.onBar;
      if (!r.active || site.fn === undefined) continue;
      try {
        const out = site.fn.call(site.self, bar);
        if (out === undefined) guard.returnedNothing(site);
        else {
          const checked = guard.returned<void>(site, out);
          if (checked instanceof Promise) return this.riskAfter(checked, bar, at + 1);
        }
      } catch (error) {
        guard.threw(site, error);
      }
    }
  }

  private riskAfter(pending: Promise<unknown>, bar: Bar, next: number): Promise<void> {
    return pending.then(() => this.risk(bar, next));
  }

  /** The strategies the bar is routed to, from the `from`-th on; `trade` false while only warming up. */
  strategies(bar: Bar, trade: boolean, from: number): void | Promise<void> {
    const series = from === 0 ? (this.routedSeen = this.seen.of(bar)) : this.routedSeen;
    const slots = series.slots;
    if (from === 0) series.bars++;
    const { guard } = this.ctx;
    for (let at = from; at < slots.length; at++) {
      const state = slots[at]!;
      state.sizer.onBar(bar);
      if (!state.active) continue;
      const site: HookSite = state.onBar;
      let out: Output | typeof HOOK_FAILED | Promise<Output | typeof HOOK_FAILED>;
      try {
        const answer = site.fn!.call(site.self, bar);
        // Most bars bring no signal: nothing to act on, nothing to wait for.
        if (answer === undefined) {
          guard.returnedNothing(site);
          continue;
        }
        out = guard.returned<Output>(site, answer);
      } catch (error) {
        guard.threw(site, error);
        continue;
      }
      const pending = out instanceof Promise ? this.intakeSettle(out, state, bar, trade) : this.intake(state, out, bar, trade);
      if (pending !== undefined) return this.strategiesAfter(pending, bar, trade, at + 1);
    }
  }

  private strategiesAfter(pending: Promise<void>, bar: Bar, trade: boolean, next: number): Promise<void> {
    return pending.then(() => this.strategies(bar, trade, next));
  }

  private intakeSettle(pending: Promise<Output | typeof HOOK_FAILED>, state: SlotState, bar: Bar, trade: boolean): Promise<void> {
    return pending.then((out) => this.intake(state, out, bar, trade));
  }

  /** What a strategy's answer to a bar leads to: nothing while warming up, else each signal taken in. */
  private intake(state: SlotState, out: Output | typeof HOOK_FAILED, bar: Bar, trade: boolean): void {
    if (!trade || out === HOOK_FAILED || out === undefined || out === null) return;
    if (!Array.isArray(out)) return this.signal(state, out as Signal, bar);
    for (const signal of this.ctx.capped(state, out as readonly Signal[])) this.signal(state, signal, bar);
  }

  /**
   * One signal: counted and published; then, unless it is a shadow strategy's, either queued for its symbol's next
   * bar or ignored with the reason (a symbol the strategy does not trade, a series not yet warmed up).
   */
  private signal(state: SlotState, made: Signal, bar: Bar): void {
    const { ctx } = this;
    const signal = ownSignal(made);
    const strategyId = state.slot.instanceId;
    state.signals++;
    ctx.listeners.refresh();
    if (ctx.listeners.signal) ctx.bus.publish('signal', { strategyId, signal: signal.time === undefined ? { ...signal, time: bar.time } : signal, shadow: state.slot.shadow === true });
    if (state.slot.shadow === true) return;
    const symbol = signal.symbol;
    const traded = state.symbols;
    if (traded !== undefined && !traded.has(symbol)) {
      return ctx.ignore(state, signal, 'SYMBOL_NOT_TRADED', () => `${symbol} is not one of the symbols ${strategyId} trades (${[...traded].join(', ')})`);
    }
    // The engine's time, not the bar's: a bar built from the fed ones opened before the fed bar that completed it.
    const now = ctx.currentTime;
    if (now < this.tradeFrom) return ctx.ignore(state, signal, 'WARMING_UP', () => `the session trades from ${new Date(this.tradeFrom).toISOString()}; this bar only warms up`);
    const fed = this.ctx.options.timeframe;
    const runSeen = fed === undefined ? (symbol === bar.symbol ? this.routedSeen.bars : this.seenOfSymbol(symbol)) : (this.seen.get(symbol, fed)?.bars ?? 0);
    if (runSeen <= this.runWarmup) return ctx.ignore(state, signal, 'WARMING_UP', () => `${symbol} has had ${runSeen} bar${runSeen === 1 ? '' : 's'}; the run's first ${this.runWarmup} only warm up (warmupBars)`);
    const ownSeen = this.routedSeen.bars;
    if (ownSeen < state.warmupBars) return ctx.ignore(state, signal, 'WARMING_UP', () => `${strategyId} has seen ${ownSeen} ${bar.symbol} ${bar.timeframe} bar${ownSeen === 1 ? '' : 's'} and needs ${state.warmupBars} (its warmupBars) before its signals count`);
    const close = symbol === bar.symbol ? bar.close : ctx.ledger.priceOf(symbol);
    if (!(close > 0)) return ctx.ignore(state, signal, 'NO_PRICE', () => `${symbol} has had no bar yet, so an order for it cannot be sized`);
    const track = ctx.tracks.of(state, symbol);
    if (this.desk.refusesNow(track, signal)) return;
    this.desk.queue(track, { signal, time: now, close, timeframe: bar.timeframe });
  }

  /** Bars of a symbol's fed series seen so far: what its warm-up is counted in. */
  barsSeen(symbol: string): number {
    const fed = this.ctx.options.timeframe;
    return fed === undefined ? this.seenOfSymbol(symbol) : (this.seen.get(symbol, fed)?.bars ?? 0);
  }

  /** The timeframe a symbol is fed in: the run's, or (when the run names none) that of its first bar. */
  fedTimeframeOf(symbol: string): Timeframe | undefined {
    return this.ctx.options.timeframe ?? this.fedTimeframe.get(symbol);
  }

  /** Bars seen of a symbol in its one fed series (a run that names no timeframe feeds one per symbol). */
  private seenOfSymbol(symbol: string): number {
    const series = this.seen.ofSymbol(symbol);
    if (series === undefined) return 0;
    let most = 0;
    for (const s of series.values()) most = Math.max(most, s.bars);
    return most;
  }

  /** A series' first bar: the strategies its bars go to. */
  private route(symbol: string, timeframe: Timeframe): SeriesRoute {
    if (this.checksSeries) this.checkSeries(symbol, timeframe);
    const routes = this.router.forBar({ symbol, timeframe });
    return { slots: routes.map((r) => this.ctx.slotById.get(r.instanceId)!), bars: 0 };
  }

  /**
   * A symbol is fed in one timeframe. Bars are taken in open-time order, so a coarser bar fed beside finer ones
   * would reach the strategies before it closed: a look into the future. Coarser bars are built instead.
   */
  private checkSeries(symbol: string, timeframe: Timeframe): void {
    const run = this.ctx.options.timeframe;
    if (run !== undefined) {
      if (timeframe !== run) throw mixedTimeframes({ symbol, timeframe }, run, true);
      return;
    }
    const fed = this.fedTimeframe.get(symbol);
    if (fed === undefined) this.fedTimeframe.set(symbol, timeframe);
    else if (fed !== timeframe) throw mixedTimeframes({ symbol, timeframe }, fed, false);
  }
}
