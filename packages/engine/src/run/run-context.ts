import { RiskGate, type EventBus, type HookGuard, type HookSite, type ManagedPlugin, type PluginManager, type RiskVerdict } from '@trading-orchestrator/core-manager';
import type { Broker, Order, OrderIntent, OrderSide, Signal } from '@trading-orchestrator/plugin-api';
import { DEFAULT_ACCOUNT, type AccountRules } from '../account/buying-power.js';
import type { IndicatorBoard } from '../indicators/indicator-board.js';
import { InstrumentBook } from '../instruments/instruments.js';
import { BuyAndHold } from '../metrics/buy-and-hold.js';
import { EquitySampler } from '../metrics/equity-sampler.js';
import { RunningMetrics } from '../metrics/running-metrics.js';
import { TradeLog } from '../metrics/trade-log.js';
import type { IgnoreCode } from '../orders/order-plan.js';
import { Ledger } from '../portfolio/ledger.js';
import { toCents } from '../portfolio/money.js';
import { PositionSizer } from '../sizing/position-sizer.js';
import type { BacktestOptions, Denial } from './engine-types.js';
import { Listeners } from './listeners.js';
import { TrackBook, type PositionTrack } from './position-track.js';
import type { SlotState } from './slot-state.js';

const MAX_DENIALS = 1_000;
/** Signals taken from one hook call; a reference strategy gives at most two. */
const DEFAULT_MAX_SIGNALS_PER_CALL = 100;

/** A risk plugin's per-bar and per-fill hooks, and whether it was active when the engine last looked. */
export interface RiskMember {
  readonly plugin: ManagedPlugin;
  /** Bound to the plugin's instance; bound again when a reload swaps it (`refreshActive`). */
  onBar: HookSite;
  onFill: HookSite;
  active: boolean;
}

/** The broker's hooks. */
export interface BrokerHooks {
  readonly plugin: ManagedPlugin;
  readonly instance: Broker;
  readonly onBar: HookSite;
  readonly submit: HookSite;
  readonly cancel: HookSite;
}

/**
 * What every stage of the engine shares: the plugins and their hooks, the account, the strategies with their
 * positions, the clock and the tallies. The stages (`OrderDesk`, `FillBooking`, `PluginBars`, `EquityRecorder`)
 * each do one part of a bar with it; `BacktestEngine` runs them in order.
 */
export class RunContext {
  readonly manager: PluginManager;
  readonly guard: HookGuard;
  readonly bus: EventBus;
  readonly ledger: Ledger;
  readonly gate: RiskGate;
  readonly listeners: Listeners;
  readonly instruments: InstrumentBook;
  readonly account: AccountRules;
  readonly allowShort: boolean;
  readonly tracks: TrackBook;
  readonly slots: SlotState[];
  /** The slots that trade (not shadow): whose equity is recorded on every bar. */
  readonly tradingSlots: readonly SlotState[];
  readonly slotById = new Map<string, SlotState>();
  readonly risk: RiskMember[];
  /** The run's indicators, or undefined when it has none (the bar then skips them without a call). */
  readonly indicators: IndicatorBoard | undefined;
  readonly broker: BrokerHooks;
  readonly denials: Denial[] = [];
  /** The account's curve (thinned, for the result) and metrics (over every point). */
  readonly curve: EquitySampler;
  readonly metrics: RunningMetrics;
  /** Holding the run's symbols from the start: what the account is measured against. */
  readonly benchmark: BuyAndHold;
  /** The time of the bar in progress, or of the last one processed; -Infinity before the first. */
  currentTime = Number.NEGATIVE_INFINITY;
  bars = 0;
  sequence = 0;
  unownedFills = 0;
  /** While set, orders go to it instead of the broker (see `BacktestEngine.replayOrders`). */
  replay: ((intent: OrderIntent) => Promise<Order>) | undefined = undefined;
  /** `manager.stateChanges` when the `active` flags were last read. */
  private activeAsOf = -1;

  constructor(readonly options: BacktestOptions) {
    const { manager } = options;
    this.manager = manager;
    this.guard = manager.guard;
    this.bus = manager.bus;
    this.listeners = new Listeners(manager.bus);
    this.ledger = new Ledger(options.capital, options.currency ?? 'USD');
    this.gate = new RiskGate(manager, options.riskIds);
    this.instruments = new InstrumentBook(options.instruments ?? []);
    this.tracks = new TrackBook(
      (symbol) => this.instruments.of(symbol),
      (strategyId, symbol) => this.ledger.holding(strategyId, symbol),
    );
    for (const instrument of this.instruments.described()) if (instrument.multiplier !== 1) this.ledger.setMultiplier(instrument.symbol, instrument.multiplier);
    this.account = { ...DEFAULT_ACCOUNT, ...options.account };
    this.allowShort = options.allowShort === true;
    if (this.allowShort && this.account.type === 'cash') throw new RangeError('selling short needs a margin account: set account.type to "margin" (with its leverage), or turn allowShort off');
    if (!(this.account.leverage >= 1)) throw new RangeError(`account leverage must be at least 1, got ${this.account.leverage}`);
    const total = options.strategies.reduce((s, x) => s + (x.shadow === true ? 0 : x.allocation), 0);
    if (total > 1 + 1e-9) throw new RangeError(`strategy allocations add up to ${(total * 100).toFixed(1)}% of capital; they must not exceed 100%`);
    const metricsOptions = { periodsPerYear: options.periodsPerYear, ...(options.riskFreeRate === undefined ? {} : { riskFreeRate: options.riskFreeRate }) };
    const keepPoints = options.keepEquityPoints ?? 2_048;
    this.curve = new EquitySampler(keepPoints);
    this.metrics = new RunningMetrics(metricsOptions);
    this.benchmark = new BuyAndHold(options.capital, options.symbols ?? [], keepPoints, metricsOptions, (symbol) => this.ledger.priceOf(symbol));
    const runSymbols = options.symbols;
    this.slots = options.strategies.map((slot, index) => {
      const plugin = this.require(slot.instanceId, 'strategy');
      const symbols = slot.symbols ?? runSymbols;
      const state: SlotState = {
        slot,
        index,
        plugin,
        active: false,
        sizer: new PositionSizer(slot.sizing, slot.atrPeriod),
        account: this.ledger.slice(slot.instanceId, toCents(options.capital * slot.allocation)),
        onBar: manager.guard.site(plugin.guarded, 'onBar', plugin.instance!),
        onFill: manager.guard.site(plugin.guarded, 'onFill', plugin.instance!),
        onTick: (plugin.instance as { onTick?: unknown }).onTick === undefined ? undefined : manager.guard.site(plugin.guarded, 'onTick', plugin.instance!),
        onAlert: (plugin.instance as { onAlert?: unknown }).onAlert === undefined ? undefined : manager.guard.site(plugin.guarded, 'onAlert', plugin.instance!),
        symbols: symbols === undefined ? undefined : new Set(symbols),
        pyramiding: slot.pyramiding ?? 0,
        warmupBars: Math.max(0, Math.floor((plugin.instance as { warmupBars?: number }).warmupBars ?? 0)),
        claimedCash: 0,
        claimedExposure: 0,
        signals: 0,
        ignored: new Map(),
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
    this.risk = options.riskIds.map((id) => {
      const plugin = this.require(id, 'risk');
      return { plugin, onBar: manager.guard.site(plugin.guarded, 'onBar', plugin.instance!), onFill: manager.guard.site(plugin.guarded, 'onFill', plugin.instance!), active: false };
    });
    const indicators = options.indicators;
    if (indicators !== undefined && indicators.ids.length > 0) indicators.board.bind(manager, indicators.ids);
    this.indicators = indicators === undefined || indicators.ids.length === 0 ? undefined : indicators.board;
    const broker = this.require(options.brokerId, 'broker');
    this.broker = {
      plugin: broker,
      instance: broker.instance as Broker,
      onBar: manager.guard.site(broker.guarded, 'onBar', broker.instance!),
      submit: manager.guard.site(broker.guarded, 'submit', broker.instance!),
      cancel: manager.guard.site(broker.guarded, 'cancel', broker.instance!),
    };
  }

  /** Reads the plugins' states again if any has changed since the last look; hooks of inactive plugins are skipped. */
  refreshActive(): void {
    if (this.manager.stateChanges !== this.activeAsOf) this.readActive();
  }

  private readActive(): void {
    this.activeAsOf = this.manager.stateChanges;
    const { guard } = this.manager;
    for (const r of this.risk) {
      r.active = r.plugin.machine.state === 'active';
      // A reload swapped the instance: its hooks are bound again (they are resolved once, not looked up per call).
      const self = r.plugin.instance;
      if (self === undefined || r.onBar.self === self) continue;
      r.onBar = guard.site(r.plugin.guarded, 'onBar', self);
      r.onFill = guard.site(r.plugin.guarded, 'onFill', self);
    }
    for (const s of this.slots) {
      s.active = s.plugin.machine.state === 'active';
      const self = s.plugin.instance;
      if (self === undefined || s.onBar.self === self) continue;
      s.onBar = guard.site(s.plugin.guarded, 'onBar', self);
      s.onFill = guard.site(s.plugin.guarded, 'onFill', self);
      s.onTick = (self as { onTick?: unknown }).onTick === undefined ? undefined : guard.site(s.plugin.guarded, 'onTick', self);
      s.onAlert = (self as { onAlert?: unknown }).onAlert === undefined ? undefined : guard.site(s.plugin.guarded, 'onAlert', self);
    }
  }

  /** A signal not acted on: counted for the strategy and published with the reason, never dropped in silence. */
  ignore(state: SlotState, signal: Signal, code: IgnoreCode, message: string | (() => string), count = 1): void {
    state.ignored.set(code, (state.ignored.get(code) ?? 0) + count);
    this.listeners.refresh();
    if (this.listeners.ignored) this.bus.publish('signal-ignored', { time: this.currentTime, strategyId: state.slot.instanceId, signal, code, message: typeof message === 'string' ? message : message() });
  }

  /**
   * The signals of one answer the engine takes in: at most `maxSignalsPerCall`; the rest are counted as ignored
   * (`SIGNAL_LIMIT`) with one event for all of them, so a strategy answering with a flood cannot flood the journal.
   */
  capped(state: SlotState, signals: readonly Signal[]): readonly Signal[] {
    const cap = this.options.maxSignalsPerCall ?? DEFAULT_MAX_SIGNALS_PER_CALL;
    if (signals.length <= cap) return signals;
    const dropped = signals.length - cap;
    this.ignore(state, signals[cap]!, 'SIGNAL_LIMIT', () => `${state.slot.instanceId} answered with ${signals.length} signals at once; the first ${cap} are taken (maxSignalsPerCall) and ${dropped} were dropped`, dropped);
    return signals.slice(0, cap);
  }

  /** A risk denial: counted for the strategy and kept among the run's first denials. */
  denied(track: PositionTrack, verdict: Extract<RiskVerdict, { approved: false }>): void {
    track.owner.denied++;
    if (this.denials.length < MAX_DENIALS) this.denials.push({ time: this.currentTime, strategyId: track.owner.slot.instanceId, symbol: track.symbol, deniedBy: verdict.deniedBy, code: verdict.code, message: verdict.message });
  }

  /**
   * What a market order of `quantity` is expected to fill at and cost when the market is at `price`: the broker's
   * own estimate, or the price moved against the order by the account's cost allowance (which stands for the fee).
   */
  estimateFill(symbol: string, side: OrderSide, quantity: number, price: number): { readonly price: number; readonly fee: number } {
    const broker = this.broker.instance;
    if (broker.estimateFill !== undefined) {
      try {
        const estimate = broker.estimateFill(symbol, side, quantity, price);
        if (Number.isFinite(estimate.price) && estimate.price > 0 && Number.isFinite(estimate.fee) && estimate.fee >= 0) return estimate;
      } catch {
        // A broker whose estimate fails is costed by the allowance below: never less careful than without one.
      }
    }
    const allowance = (price * this.account.costAllowanceBps) / 10_000;
    return { price: side === 'buy' ? price + allowance : Math.max(price - allowance, Number.MIN_VALUE), fee: 0 };
  }

  private require(id: string, kind: 'strategy' | 'risk' | 'broker'): ManagedPlugin {
    const p = this.manager.get(id);
    if (p === undefined || p.kind !== kind || p.instance === undefined) throw new RangeError(`"${id}" is not a started ${kind} plugin in this manager`);
    return p;
  }
}
