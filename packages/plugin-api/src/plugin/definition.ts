import { isConfigSchema, type ConfigSchema } from '../config/config-schema.js';
import type { SearchSpace } from '../config/search-space.js';
import type { Broker, BrokerPluginContext } from './broker.js';
import type { PluginContext } from './context.js';
import type { DataProvider } from './data.js';
import type { Indicator } from './indicator.js';
import type { Notifier } from './notifier.js';
import { isPluginKind, type PluginKind } from './kind.js';
import type { MaybePromise } from './maybe-promise.js';
import type { RiskManager, RiskPluginContext } from './risk.js';
import type { Strategy } from './strategy.js';

/** The instance each kind's `init` must produce. */
export interface PluginInstanceByKind {
  strategy: Strategy;
  data: DataProvider;
  risk: RiskManager;
  indicator: Indicator;
  broker: Broker;
  notifier: Notifier;
  /** A panel has no instance in the session: its entry runs in the dashboard. */
  panel: never;
}

/** The context each kind's `init` receives. */
export interface PluginContextByKind<Config> {
  strategy: PluginContext<Config>;
  data: PluginContext<Config>;
  risk: RiskPluginContext<Config>;
  indicator: PluginContext<Config>;
  broker: BrokerPluginContext<Config>;
  notifier: PluginContext<Config>;
  panel: never;
}

/**
 * What a plugin package's entry exports (as `default` or `plugin`). `init` is called once per instance the
 * user configures, with the validated config, and returns the running instance.
 */
export interface PluginDefinitionOf<K extends PluginKind, Config = unknown> {
  readonly kind: K;
  /** The plugin-API version the plugin was built against (stamped by the define helper). */
  readonly apiVersion: string;
  readonly configSchema: ConfigSchema<Config>;
  /** The settings an optimiser may vary (keys are config keys); checked by the host before a sweep. */
  readonly searchSpace?: SearchSpace;
  init(context: PluginContextByKind<Config>[K]): MaybePromise<PluginInstanceByKind[K]>;
}

export type StrategyDefinition<Config = unknown> = PluginDefinitionOf<'strategy', Config>;
export type DataProviderDefinition<Config = unknown> = PluginDefinitionOf<'data', Config>;
export type RiskManagerDefinition<Config = unknown> = PluginDefinitionOf<'risk', Config>;
export type IndicatorDefinition<Config = unknown> = PluginDefinitionOf<'indicator', Config>;
export type BrokerDefinition<Config = unknown> = PluginDefinitionOf<'broker', Config>;
export type NotifierDefinition<Config = unknown> = PluginDefinitionOf<'notifier', Config>;

export type PluginDefinition =
  | StrategyDefinition<any>
  | DataProviderDefinition<any>
  | RiskManagerDefinition<any>
  | IndicatorDefinition<any>
  | BrokerDefinition<any>
  | NotifierDefinition<any>;

/** Structural check of a module export, so definitions made with another copy of this package are accepted. */
export function isPluginDefinition(value: unknown): value is PluginDefinition {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return isPluginKind(v.kind) && typeof v.apiVersion === 'string' && isConfigSchema(v.configSchema) && typeof v.init === 'function';
}
