import type { PluginDefinition, PluginKind, PluginManifest } from '@trading-orchestrator/plugin-api';
import type { HookLimits } from '../guard/hook-guard.js';

/** What happens to the run when this plugin fails to load or start. */
export type StartFailurePolicy = 'abort' | 'continue';

/** The catalog facts the manager needs to load a plugin (a registry `CatalogEntry` satisfies it). */
export interface LoadablePlugin {
  readonly id: string;
  readonly kind: PluginKind | undefined;
  readonly version: string;
  readonly packageName: string;
  readonly packageDir: string;
  readonly manifest: PluginManifest | undefined;
  /**
   * The definition itself, for plugins that ship inside the host (the default paper broker) or tests: nothing is
   * imported. Reload keeps using it.
   */
  readonly definition?: PluginDefinition;
}

/** One plugin instance to run. */
export interface PluginSpec {
  readonly plugin: LoadablePlugin;
  /** The id this instance runs under; defaults to the manifest id. Lets one plugin run twice with two configs. */
  readonly instanceId?: string;
  /** The user's config for it, validated against the plugin's schema before anything starts. */
  readonly config?: unknown;
  /** Where the config sits in the user's file, for error paths (e.g. `strategies[1].config`). */
  readonly configPath?: string;
  /** The folder of the user's file: relative paths in the config are read from there (the plugin's `context.configDir`). */
  readonly configDir?: string;
  /** Default `abort`. */
  readonly onFailure?: StartFailurePolicy;
  /** Per-hook time limits, e.g. `{ checkOrder: { softMs: 20, hardMs: 100 } }`. */
  readonly hookLimits?: Readonly<Record<string, HookLimits>>;
  /** Handed to the first `init` as `restoredState`: what the plugin's `snapshot()` returned in an earlier process. */
  readonly restoredState?: unknown;
}
