import { basename, dirname, join, resolve } from 'node:path';
import { emptyScan, type RootScan } from './candidate.js';
import { listPackageDirs } from './list-package-dirs.js';

/** The node_modules folder a package folder sits in (`.../node_modules/name` or `.../node_modules/@scope/name`). */
export function enclosingNodeModules(packageDir: string): string | undefined {
  const parent = dirname(packageDir);
  if (basename(parent) === 'node_modules') return parent;
  const grandparent = dirname(parent);
  if (basename(parent).startsWith('@') && basename(grandparent) === 'node_modules') return grandparent;
  return undefined;
}

function projectNodeModulesChain(projectDir: string): Set<string> {
  const chain = new Set<string>();
  let dir = resolve(projectDir);
  for (;;) {
    chain.add(join(dir, 'node_modules'));
    const parent = dirname(dir);
    if (parent === dir) return chain;
    dir = parent;
  }
}

/**
 * Packages installed beside the runner, which is how a global install (`npm i -g runner plugin`) shares plugins.
 * Skipped when the runner sits in the project's own node_modules chain: the project's dependencies cover that,
 * and listing a project's node_modules would mean crawling it.
 */
export function scanRunnerInstall(runnerDir: string, projectDir: string): RootScan {
  const scan = emptyScan();
  const nodeModules = enclosingNodeModules(resolve(runnerDir));
  if (nodeModules === undefined || projectNodeModulesChain(projectDir).has(nodeModules)) return scan;
  for (const dir of listPackageDirs(nodeModules, scan)) {
    scan.candidates.push({ packageJsonPath: join(dir, 'package.json'), source: 'runner-install', notAPlugin: 'ignore' });
  }
  return scan;
}
