import type { ConfigSchema, InferConfig } from '../config/config-schema.js';
import type { SearchSpace } from '../config/search-space.js';
import type { PluginContextByKind, PluginDefinitionOf, PluginInstanceByKind } from '../plugin/definition.js';
import type { PluginKind } from '../plugin/kind.js';
import type { MaybePromise } from '../plugin/maybe-promise.js';
import { PLUGIN_API_VERSION } from '../version.js';

/** What a plugin author writes: a config schema and an `init` that builds the running instance. */
export interface PluginSpec<K extends PluginKind, S extends ConfigSchema> {
  readonly configSchema: S;
  /** The settings an optimiser may vary, and their ranges (`trading-orchestrator optimize`); keys are config keys. */
  readonly searchSpace?: SearchSpace<keyof InferConfig<S> & string>;
  init(context: PluginContextByKind<InferConfig<S>>[K]): MaybePromise<PluginInstanceByKind[K]>;
}

function definePlugin<K extends PluginKind, S extends ConfigSchema>(
  kind: K,
  spec: PluginSpec<K, S>,
): PluginDefinitionOf<K, InferConfig<S>> {
  return Object.freeze({
    kind,
    apiVersion: PLUGIN_API_VERSION,
    configSchema: spec.configSchema as ConfigSchema<InferConfig<S>>,
    ...(spec.searchSpace === undefined ? {} : { searchSpace: spec.searchSpace as SearchSpace }),
    init: spec.init.bind(spec),
  });
}

export function defineStrategy<S extends ConfigSchema>(spec: PluginSpec<'strategy', S>): PluginDefinitionOf<'strategy', InferConfig<S>> {
  return definePlugin('strategy', spec);
}

export function defineDataProvider<S extends ConfigSchema>(spec: PluginSpec<'data', S>): PluginDefinitionOf<'data', InferConfig<S>> {
  return definePlugin('data', spec);
}

export function defineRiskManager<S extends ConfigSchema>(spec: PluginSpec<'risk', S>): PluginDefinitionOf<'risk', InferConfig<S>> {
  return definePlugin('risk', spec);
}

export function defineIndicator<S extends ConfigSchema>(spec: PluginSpec<'indicator', S>): PluginDefinitionOf<'indicator', InferConfig<S>> {
  return definePlugin('indicator', spec);
}

export function defineBroker<S extends ConfigSchema>(spec: PluginSpec<'broker', S>): PluginDefinitionOf<'broker', InferConfig<S>> {
  return definePlugin('broker', spec);
}

export function defineNotifier<S extends ConfigSchema>(spec: PluginSpec<'notifier', S>): PluginDefinitionOf<'notifier', InferConfig<S>> {
  return definePlugin('notifier', spec);
}
