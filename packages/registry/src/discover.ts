import { delimiter, resolve } from 'node:path';
import { PLUGIN_API_VERSION } from '@trading-orchestrator/plugin-api';
import { readDiscoveryCache, writeDiscoveryCache } from './cache/discovery-cache.js';
import type { CatalogEntry, DiscoveryProblem } from './catalog/catalog-entry.js';
import { inspectCandidate, type HostInfo } from './catalog/inspect-candidate.js';
import { markConflicts } from './catalog/mark-conflicts.js';
import { PluginCatalog, type CacheStatus } from './catalog/plugin-catalog.js';
import type { RootScan } from './roots/candidate.js';
import { PLUGIN_PATHS_ENV, scanExplicitPaths } from './roots/explicit-paths.js';
import { scanLocalFolders } from './roots/local-folders.js';
import { scanProjectDependencies } from './roots/project-dependencies.js';
import { scanRunnerInstall } from './roots/runner-install.js';

export interface DiscoveryOptions {
  /** The host project: its package.json dependencies are searched. Relative plugin paths resolve from here. */
  readonly projectDir: string;
  /** The plugin-API version plugins are checked against; defaults to the one this package was built with. */
  readonly hostApiVersion?: string;
  /** Package named in the fix for plugins that need a newer plugin API. */
  readonly hostPackage?: string;
  /** Folder of the installed runner, so packages installed beside it (global installs) are found. */
  readonly runnerDir?: string;
  /** Plugin package folders named explicitly (from config). */
  readonly pluginPaths?: readonly string[];
  /** Folders that are plugin packages or hold plugin packages. */
  readonly pluginFolders?: readonly string[];
  /** Environment to read `TRADING_ORCHESTRATOR_PLUGINS` from; defaults to process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Where to keep the discovery cache; false disables it. */
  readonly cacheFile?: string | false;
}

function envPaths(env: Readonly<Record<string, string | undefined>>): string[] {
  return (env[PLUGIN_PATHS_ENV] ?? '').split(delimiter).filter((p) => p.trim() !== '');
}

function byIdThenPackage(a: CatalogEntry, b: CatalogEntry): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : a.packageDir < b.packageDir ? -1 : a.packageDir > b.packageDir ? 1 : 0;
}

/**
 * Finds installed plugin packages by reading manifests only (no plugin code runs), validates each, checks its
 * API range against the host and returns the catalog. Never throws for a bad package or folder: every problem
 * is in the catalog.
 */
export async function discoverPlugins(options: DiscoveryOptions): Promise<PluginCatalog> {
  const started = performance.now();
  const projectDir = resolve(options.projectDir);
  const host: HostInfo = {
    apiVersion: options.hostApiVersion ?? PLUGIN_API_VERSION,
    hostPackage: options.hostPackage ?? '@trading-orchestrator/runner',
  };
  const fromEnv = envPaths(options.env ?? process.env);
  const key = JSON.stringify([host, projectDir, options.runnerDir ?? null, options.pluginPaths ?? [], options.pluginFolders ?? [], fromEnv]);
  const cacheFile = options.cacheFile ?? false;
  const done = (entries: readonly CatalogEntry[], problems: readonly DiscoveryProblem[], cache: CacheStatus): PluginCatalog =>
    new PluginCatalog(entries, problems, { hostApiVersion: host.apiVersion, cache, durationMs: performance.now() - started });

  if (cacheFile !== false) {
    const cached = readDiscoveryCache(cacheFile, key);
    if (cached !== undefined) return done(cached.entries, cached.problems, 'hit');
  }

  const scans: RootScan[] = [scanProjectDependencies(projectDir)];
  if (options.runnerDir !== undefined) scans.push(scanRunnerInstall(options.runnerDir, projectDir));
  scans.push(scanExplicitPaths(options.pluginPaths ?? [], projectDir, 'explicit-path'));
  scans.push(scanExplicitPaths(fromEnv, projectDir, 'env-path'));
  scans.push(scanLocalFolders(options.pluginFolders ?? [], projectDir));

  const seen = new Set<string>();
  const found: CatalogEntry[] = [];
  for (const scan of scans) {
    for (const candidate of scan.candidates) {
      const entry = inspectCandidate(candidate, host, seen, scan);
      if (entry !== undefined) found.push(entry);
    }
  }
  const entries = markConflicts(found).sort(byIdThenPackage);
  const problems = scans.flatMap((s) => s.problems);
  if (cacheFile === false) return done(entries, problems, 'disabled');
  const written = writeDiscoveryCache(cacheFile, key, scans.flatMap((s) => s.watched), { entries, problems });
  return done(entries, problems, written ? 'miss' : 'write-failed');
}
