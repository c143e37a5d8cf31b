import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CatalogEntry, DiscoveryProblem } from '../catalog/catalog-entry.js';

/** Bumped whenever the cached shape or discovery rules change, so old caches are ignored. */
const CACHE_FORMAT = 1;

/** [path, "mtime:size:ino" or null when absent] */
type Stamp = readonly [string, string | null];

interface CacheFile {
  readonly format: number;
  readonly key: string;
  readonly stamps: readonly Stamp[];
  readonly entries: readonly CatalogEntry[];
  readonly problems: readonly DiscoveryProblem[];
}

export interface CachedScan {
  readonly entries: readonly CatalogEntry[];
  readonly problems: readonly DiscoveryProblem[];
}

function stampOf(path: string): string | null {
  try {
    const s = statSync(path);
    return `${s.mtimeMs}:${s.size}:${s.ino}`;
  } catch {
    return null;
  }
}

/**
 * The cached scan when nothing it depended on has changed. A warm check stats the watched files (the project's
 * package.json and lockfiles, plugin package.json and entry files, listed folders) and reads nothing else.
 */
export function readDiscoveryCache(file: string, key: string): CachedScan | undefined {
  let cache: CacheFile;
  try {
    cache = JSON.parse(readFileSync(file, 'utf8')) as CacheFile;
  } catch {
    return undefined;
  }
  if (cache.format !== CACHE_FORMAT || cache.key !== key || !Array.isArray(cache.stamps)) return undefined;
  for (const [path, stamp] of cache.stamps) {
    if (stampOf(path) !== stamp) return undefined;
  }
  return { entries: cache.entries, problems: cache.problems };
}

/** Writes the cache atomically (temp file + rename). Returns false when the location is not writable. */
export function writeDiscoveryCache(file: string, key: string, watched: readonly string[], scan: CachedScan): boolean {
  const stamps: Stamp[] = [...new Set(watched)].sort().map((path) => [path, stampOf(path)]);
  const body: CacheFile = { format: CACHE_FORMAT, key, stamps, entries: scan.entries, problems: scan.problems };
  const temp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(temp, JSON.stringify(body));
    renameSync(temp, file);
    return true;
  } catch {
    return false;
  }
}
