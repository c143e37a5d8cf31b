import type { PluginDefinition, PluginInstanceByKind, PluginKind } from '@trading-orchestrator/plugin-api';
import type { GuardedPlugin } from '../guard/hook-guard.js';
import type { PluginStateMachine } from '../lifecycle/state-machine.js';
import type { LoadablePlugin, PluginSpec } from './plugin-spec.js';

export interface PluginTimings {
  /** Import of the entry module. */
  loadMs: number;
  initMs: number;
  startMs: number;
}

/** Everything the manager holds for one plugin instance. */
export interface ManagedPlugin {
  readonly id: string;
  readonly kind: PluginKind;
  readonly spec: PluginSpec;
  readonly machine: PluginStateMachine;
  readonly guarded: GuardedPlugin;
  readonly timings: PluginTimings;
  definition: PluginDefinition | undefined;
  config: unknown;
  instance: PluginInstanceByKind[PluginKind] | undefined;
  abort: AbortController | undefined;
  /** How many times the code was imported; feeds the cache-busting URL on reload. */
  generation: number;
  /** Owner of the instance's bus subscriptions: a new one each reload, so the old instance's go with it alone. */
  owner: string;
  /** The package the running code came from (a reload may swap in another version). */
  source: LoadablePlugin;
  /** Why the plugin is in `error`, when it is. */
  failure: Error | undefined;
  droppedEvents: number;
}

/** A read-only view for the runner and tests. */
export interface PluginStatus {
  readonly id: string;
  readonly kind: PluginKind;
  readonly state: string;
  readonly timings: Readonly<PluginTimings>;
  readonly calls: number;
  readonly failures: number;
  readonly timeouts: number;
  readonly droppedEvents: number;
  readonly failure?: string;
}
