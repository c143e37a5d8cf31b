import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The nearest folder at or above `start` with a package.json: the user's project. Falls back to `start`. */
export function findProjectDir(start: string): string {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return resolve(start);
    dir = parent;
  }
}

/** The folder this runner package is installed in (where its package.json is). */
export function runnerPackageDir(): string {
  return fileURLToPath(new URL('..', import.meta.url));
}

/** Discovery cache inside the project's node_modules, where installs already invalidate things. */
export function discoveryCacheFile(projectDir: string): string {
  return join(projectDir, 'node_modules', '.cache', 'trading-orchestrator', 'discovery.json');
}
