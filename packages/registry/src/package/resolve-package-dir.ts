import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Finds `<name>/package.json` the way Node looks up bare specifiers (each `node_modules` from `fromDir` up to the
 * root), without importing anything and without honouring `exports`, which may hide package.json.
 */
export function resolvePackageJsonPath(name: string, fromDir: string): string | undefined {
  let dir = fromDir;
  for (;;) {
    if (basename(dir) !== 'node_modules') {
      const candidate = join(dir, 'node_modules', name, 'package.json');
      if (existsSync(candidate)) return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
