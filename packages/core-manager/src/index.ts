export { EventBus } from './events/event-bus.js';
export type {
  BarRefusedEvent,
  ControlEvent,
  DroppedEventsEvent,
  EventMap,
  HandlerErrorEvent,
  HealthEvent,
  HookFailureEvent,
  RiskDecisionEvent,
  RiskVerdictEvent,
  SignalIgnoredEvent,
  SlowHookEvent,
  EquityEvent,
  TradeEvent,
  Topic,
} from './events/event-map.js';
export { GuardedPlugin, HOOK_FAILED, HookGuard, HookSite, type GuardOptions, type HookFailed, type HookLimits, type UnsettledCall } from './guard/hook-guard.js';
export { RETURN_VALIDATORS, type ReturnValidator } from './guard/return-validators.js';
export { applyThresholds, HealthMonitor, type HealthMonitorOptions, type HealthSummary, type MetricThreshold, type TimedHealthReport } from './health/health-monitor.js';
export { canTransition, PLUGIN_STATES, TRANSITIONS, type PluginState } from './lifecycle/plugin-state.js';
export { PluginStateMachine, type StateTransition } from './lifecycle/state-machine.js';
export type { ManagedPlugin, PluginStatus, PluginTimings } from './manager/managed-plugin.js';
export type { BrokerReports, LogLevel, LogSink } from './manager/plugin-context.js';
export { loadDefinition } from './manager/load-definition.js';
export { ENTRY_IMPORT_LIMIT_MS, importEntry, type EntryImport } from './manager/import-entry.js';
export { PluginManager, type PluginManagerOptions, type ReloadResult, type ShutdownReport, type StartReport } from './manager/plugin-manager.js';
export type { LoadablePlugin, PluginSpec, StartFailurePolicy } from './manager/plugin-spec.js';
export { RiskGate, type RiskCheck, type RiskVerdict } from './risk/risk-gate.js';
export { SignalRouter, type AlertRoute, type AlertRouteRule, type StrategyRoute } from './routing/signal-router.js';
export { SignalTally, type InstanceTally, type ShadowComparison } from './routing/signal-tally.js';
export { RingBuffer } from './util/ring-buffer.js';
export { isThenable } from './util/thenable.js';
export { deepFreeze, readOnlyIntent, readOnlyPortfolio, readOnlyPosition } from './util/read-only.js';
