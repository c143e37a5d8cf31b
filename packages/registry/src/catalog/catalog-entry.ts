import type { PluginKind, PluginManifest, Problem } from '@trading-orchestrator/plugin-api';

/** Where discovery found a package. */
export type DiscoverySource = 'dependency' | 'runner-install' | 'explicit-path' | 'env-path' | 'local-folder';

/**
 * - `compatible`: valid manifest whose `api` range admits the host's plugin API: it can be loaded.
 * - `incompatible`: valid manifest, but made for another plugin API (see `reason` and `fix`).
 * - `invalid`: the manifest has errors (see `problems`).
 * - `conflict`: another package claims the same id; neither is loaded until one is removed.
 */
export type PluginStatus = 'compatible' | 'incompatible' | 'invalid' | 'conflict';

export interface CatalogEntry {
  /** The manifest id; for an invalid manifest without a usable id, the package name. */
  readonly id: string;
  readonly kind: PluginKind | undefined;
  readonly version: string;
  readonly packageName: string;
  /** Real path of the package folder (symlinks resolved). */
  readonly packageDir: string;
  readonly source: DiscoverySource;
  readonly status: PluginStatus;
  /** Set when the manifest is valid. */
  readonly manifest: PluginManifest | undefined;
  /** One line on why the plugin cannot be used (absent when compatible). */
  readonly reason?: string;
  /** What the user can do about it. */
  readonly fix?: string;
  /** Every manifest problem, errors and warnings, with paths inside package.json. */
  readonly problems: readonly Problem[];
}

/** A problem found while discovering that is not about one plugin's manifest (an unreadable folder, broken JSON). */
export interface DiscoveryProblem {
  /** File or folder concerned. */
  readonly path: string;
  readonly message: string;
  readonly severity: 'error' | 'warning';
  readonly fix?: string;
}
