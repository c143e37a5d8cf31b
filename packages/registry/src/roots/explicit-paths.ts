import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { DiscoverySource } from '../catalog/catalog-entry.js';
import { emptyScan, type RootScan } from './candidate.js';

/** Environment variable holding extra plugin package paths, separated like PATH. */
export const PLUGIN_PATHS_ENV = 'TRADING_ORCHESTRATOR_PLUGINS';

/** Package folders (or their package.json) named one by one, from config or the environment. */
export function scanExplicitPaths(paths: readonly string[], baseDir: string, source: Extract<DiscoverySource, 'explicit-path' | 'env-path'>): RootScan {
  const scan = emptyScan();
  const where = source === 'env-path' ? `the ${PLUGIN_PATHS_ENV} environment variable` : 'the config (pluginPaths)';
  for (const raw of paths) {
    const absolute = resolve(baseDir, raw);
    const packageJsonPath = basename(absolute) === 'package.json' ? absolute : join(absolute, 'package.json');
    scan.watched.push(packageJsonPath);
    if (!existsSync(absolute)) {
      scan.problems.push({ path: absolute, message: 'plugin path does not exist', severity: 'error', fix: `correct or remove it in ${where}` });
      continue;
    }
    scan.candidates.push({ packageJsonPath, source, notAPlugin: 'error' });
  }
  return scan;
}
