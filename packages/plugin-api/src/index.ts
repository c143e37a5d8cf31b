export { PLUGIN_API_VERSION } from './version.js';

export type { ExternalAlert } from './domain/alert.js';
export type { Bar, EpochMs } from './domain/bar.js';
export type { HealthReport, HealthStatus } from './domain/health.js';
export type { ExitReason, Fill, Order, OrderIntent, OrderSide, OrderStatus, OrderTrailingStop, OrderType } from './domain/order.js';
export type { InstrumentSpec } from './domain/instrument.js';
export type { PortfolioSnapshot } from './domain/portfolio.js';
export type { Position } from './domain/position.js';
export type { Quote, Tick } from './domain/quote.js';
export type { RiskDecision, RiskEvent, RiskLevel, RiskLimitStatus, RiskMetrics } from './domain/risk.js';
export type { PositionDelta, PositionTarget, Signal, SignalMetadata, SignalSide, TrailingStop } from './domain/signal.js';
export { TIMEFRAMES, barCloseTime, barOpenTime, isTimeframe, isWholeMultiple, timeframeToMs, type Timeframe } from './domain/timeframe.js';

export type { Broker, BrokerPluginContext, OrderChanges, VenueBalance, VenueInfo } from './plugin/broker.js';
export type { IndicatorReader, PluginClock, PluginContext, PluginLogger } from './plugin/context.js';
export type { BarUpdate, DataProvider, HistoricalBarsRequest, LiveBarsRequest, LiveQuotesRequest, LiveTicksRequest } from './plugin/data.js';
export {
  isPluginDefinition,
  type BrokerDefinition,
  type DataProviderDefinition,
  type IndicatorDefinition,
  type NotifierDefinition,
  type PluginContextByKind,
  type PluginDefinition,
  type PluginDefinitionOf,
  type PluginInstanceByKind,
  type RiskManagerDefinition,
  type StrategyDefinition,
} from './plugin/definition.js';
export type { PluginEventMap, PluginTopic, RiskEventFromPlugin, SignalEvent, Unsubscribe } from './plugin/events.js';
export type { Indicator } from './plugin/indicator.js';
export type { Notification, NotificationKind, Notifier } from './plugin/notifier.js';
export { PANEL_TOPICS, type PanelApi, type PanelMessage, type PanelRiskFigures, type PanelTopic } from './plugin/panel.js';
export { PLUGIN_KINDS, isPluginKind, type PluginKind } from './plugin/kind.js';
export type { PluginLifecycle } from './plugin/lifecycle.js';
export type { MaybePromise } from './plugin/maybe-promise.js';
export type { RiskManager, RiskPluginContext } from './plugin/risk.js';
export type { SignalOutput, Strategy } from './plugin/strategy.js';

export {
  defineBroker,
  defineDataProvider,
  defineIndicator,
  defineNotifier,
  defineRiskManager,
  defineStrategy,
  type PluginSpec,
} from './define/define-plugin.js';

export {
  meetsCondition,
  paramSpecSchema,
  parseCondition,
  searchSpaceSchema,
  type ChoiceParam,
  type Condition,
  type ConditionOperator,
  type FloatParam,
  type IntParam,
  type ParamSpec,
  type ParamValue,
  type ParamValues,
  type SearchSpace,
} from './config/search-space.js';
export { configJsonSchema, type JsonSchema } from './config/config-json-schema.js';
export {
  isConfigSchema,
  type ConfigSchema,
  type InferConfig,
  type StandardJSONSchemaV1,
  type StandardSchemaV1,
} from './config/config-schema.js';
export { parseConfig, validateConfig, type ConfigValidation, type ConfigValidationOptions } from './config/validate-config.js';

export { manifestJsonSchema } from './manifest/manifest-json-schema.js';
export {
  MANIFEST_FIELD,
  MANIFEST_KEY,
  MANIFEST_PATH,
  capabilitiesSchema,
  panelSectionSchema,
  pluginIdSchema,
  pluginManifestSchema,
  type PanelSection,
  type PluginCapabilities,
  type PluginManifest,
} from './manifest/manifest-schema.js';
export { readManifestField, validateManifest, type ManifestValidation } from './manifest/validate-manifest.js';

export {
  ConfigInvalidError,
  DataUnavailableError,
  DependencyFailedError,
  HookFailedError,
  IllegalTransitionError,
  HookTimedOutError,
  IncompatibleApiError,
  LoadFailedError,
  ManifestInvalidError,
} from './errors/errors.js';
export { PluginError, hasErrorCode, isPluginError, type PluginErrorCode, type PluginErrorDetails } from './errors/plugin-error.js';
export { formatPath, joinPath, type Problem, type ProblemSeverity } from './errors/problem.js';
export { nearestNames } from './errors/nearest-names.js';

export { checkBar } from './contract/check-bar.js';
export { checkSignal } from './contract/check-signal.js';
export { rejectBadBar } from './contract/reject-bad-bar.js';
