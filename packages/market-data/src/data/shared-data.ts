import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The repository's shared market data folder (`shared/data` beside the checkout), found by walking up from
 * `from`. `TRADING_ORCHESTRATOR_SHARED_DATA` overrides it. Throws with a fix when it cannot be found.
 */
export function sharedDataDir(from: string = process.cwd()): string {
  const override = process.env.TRADING_ORCHESTRATOR_SHARED_DATA;
  if (override !== undefined && override !== '') return resolve(override);
  let dir = resolve(from);
  for (;;) {
    const candidate = join(dir, 'shared', 'data');
    if (existsSync(join(candidate, 'SOURCES.md'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error(
    `cannot find shared/data above ${from}: clone the repository beside the shared folder, or set TRADING_ORCHESTRATOR_SHARED_DATA to its path`,
  );
}

export function sharedDataFile(relative: string, from?: string): string {
  return join(sharedDataDir(from), relative);
}
