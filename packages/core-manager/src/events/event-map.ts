import type {
  HealthReport,
  OrderIntent,
  PluginEventMap,
  PluginError,
  RiskDecision,
  Signal,
} from '@trading-orchestrator/plugin-api';
import type { StateTransition } from '../lifecycle/state-machine.js';

export interface HookFailureEvent {
  readonly pluginId: string;
  readonly hook: string;
  readonly error: PluginError;
  readonly consecutiveFailures: number;
  readonly totalFailures: number;
}

export interface SlowHookEvent {
  readonly pluginId: string;
  readonly hook: string;
  /** The soft limit that was passed. */
  readonly softLimitMs: number;
}

export interface HealthEvent {
  readonly pluginId: string;
  readonly report: HealthReport;
  readonly time: number;
}

export interface HandlerErrorEvent {
  readonly topic: string;
  /** The plugin that owns the failing handler, when it is a plugin's. */
  readonly owner: string | undefined;
  readonly error: unknown;
}

export interface RiskDecisionEvent {
  readonly intent: OrderIntent;
  readonly pluginId: string;
  readonly decision: RiskDecision;
  /**
   * Set when the gate passed a reduce-only order without the plugin's answer: the plugin was not active, threw or
   * timed out. Orders that open or add are denied in that case (fail closed); exits are never trapped.
   */
  readonly passedWithout?: { readonly code: string; readonly message: string };
}

export interface RiskVerdictEvent {
  readonly intent: OrderIntent;
  readonly approved: boolean;
  /** The quantity that goes on to the broker (after resizes); 0 when denied. */
  readonly quantity: number;
  readonly deniedBy?: string;
  readonly code?: string;
  readonly message?: string;
}

/** A closed round trip, net of fees (published by the engine). */
export interface TradeEvent {
  readonly strategyId: string;
  readonly symbol: string;
  readonly direction: 'long' | 'short';
  readonly quantity: number;
  readonly entryTime: number;
  readonly exitTime: number;
  readonly pnl: number;
  readonly fees: number;
  /**
   * What closed it: `signal` (an exit or opposite signal), `reversal` (an order that reversed the position),
   * `stop-loss`, `take-profit`, `trailing-stop`, `time-exit`, or `end-of-run` (closed at the last close).
   */
  readonly exitReason?: string;
}

/** A signal the engine did not act on, and why (published by the engine; the journal keeps every one). */
export interface SignalIgnoredEvent {
  readonly time: number;
  readonly strategyId: string;
  readonly signal: Signal;
  /** Stable, upper-snake: `WARMING_UP`, `PYRAMIDING_LIMIT`, `INSUFFICIENT_FUNDS`… */
  readonly code: string;
  readonly message: string;
}

/** One point of an equity curve: the account's, or one strategy's slice when `strategyId` is set. */
export interface EquityEvent {
  readonly time: number;
  readonly equity: number;
  readonly strategyId?: string;
}

export interface DroppedEventsEvent {
  readonly pluginId: string;
  readonly topic: string;
  readonly dropped: number;
}

/** A bar a data plugin gave that the host refused (published by the host's data gate). */
export interface BarRefusedEvent {
  readonly pluginId: string;
  readonly symbol: string;
  /** `BAD_BAR`, `WRONG_SERIES`, `OUT_OF_RANGE`, `FROM_THE_FUTURE`, `DUPLICATE`, `OUT_OF_ORDER`. */
  readonly code: string;
  readonly message: string;
  readonly time: number | undefined;
}

/** An action taken on a running session from outside it (the control API, `trading-orchestrator ctl`). */
export interface ControlEvent {
  /** The session's time when it was taken. */
  readonly time: number;
  /** `halt`, `resume`, `stop`, `disable`, `enable`. */
  readonly action: string;
  /** The plugin acted on, for disable and enable. */
  readonly target?: string;
  /** Where it came from, e.g. `control API from 127.0.0.1`. */
  readonly origin: string;
}

/** Every topic on the host's bus and its payload. Plugins see the `PluginEventMap` subset. */
export interface EventMap extends PluginEventMap {
  'risk-decision': RiskDecisionEvent;
  'risk-verdict': RiskVerdictEvent;
  lifecycle: StateTransition;
  health: HealthEvent;
  'hook-failure': HookFailureEvent;
  'hook-slow': SlowHookEvent;
  'handler-error': HandlerErrorEvent;
  'events-dropped': DroppedEventsEvent;
  trade: TradeEvent;
  equity: EquityEvent;
  'signal-ignored': SignalIgnoredEvent;
  'bar-refused': BarRefusedEvent;
  control: ControlEvent;
}

export type Topic = keyof EventMap;
