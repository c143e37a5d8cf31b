import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readPackageJson } from '../package/read-package-json.js';
import { resolvePackageJsonPath } from '../package/resolve-package-dir.js';
import { emptyScan, type RootScan } from './candidate.js';

/** Files whose change means the installed dependency set may have changed. */
const INSTALL_STATE_FILES = [
  'pnpm-lock.yaml',
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'bun.lock',
  'bun.lockb',
  'node_modules/.package-lock.json',
  'node_modules/.modules.yaml',
  'node_modules/.yarn-state.yml',
];

function dependencyNames(field: unknown): string[] {
  return typeof field === 'object' && field !== null && !Array.isArray(field) ? Object.keys(field) : [];
}

/** The install-state files of the project, or of the nearest ancestor (a workspace root) that has one. */
function installStateFiles(projectDir: string): { files: string[]; found: boolean } {
  let dir = projectDir;
  for (;;) {
    const files = INSTALL_STATE_FILES.map((f) => join(dir, f));
    if (files.some((f) => existsSync(f))) return { files, found: true };
    const parent = dirname(dir);
    if (parent === dir) return { files: INSTALL_STATE_FILES.map((f) => join(projectDir, f)), found: false };
    dir = parent;
  }
}

export interface DependencyScan extends RootScan {
  /** With a lockfile, the cache need not watch every dependency's package.json. */
  readonly lockfileFound: boolean;
}

/**
 * The host project's declared dependencies, each resolved to its package.json the way Node would find it.
 * node_modules is never listed: only names the project declares are looked up.
 */
export function scanProjectDependencies(projectDir: string): DependencyScan {
  const scan = emptyScan();
  const packageJsonPath = join(projectDir, 'package.json');
  const state = installStateFiles(projectDir);
  scan.watched.push(packageJsonPath, ...state.files);
  const read = readPackageJson(packageJsonPath);
  if (!read.ok) {
    if (!read.missing) {
      scan.problems.push({ path: packageJsonPath, message: read.message, severity: 'error', fix: 'repair the project package.json' });
    }
    return { ...scan, lockfileFound: state.found };
  }
  const runtime = new Set(dependencyNames(read.json.dependencies));
  const names = new Set([...runtime, ...dependencyNames(read.json.devDependencies), ...dependencyNames(read.json.optionalDependencies)]);
  for (const name of [...names].sort()) {
    const resolved = resolvePackageJsonPath(name, projectDir);
    if (resolved === undefined) {
      if (runtime.has(name)) {
        scan.problems.push({
          path: packageJsonPath,
          message: `dependency "${name}" is declared but not installed`,
          severity: 'warning',
          fix: 'run npm install (or pnpm install) in the project',
        });
      }
      continue;
    }
    if (!state.found) scan.watched.push(resolved);
    scan.candidates.push({ packageJsonPath: resolved, source: 'dependency', notAPlugin: 'ignore' });
  }
  return { ...scan, lockfileFound: state.found };
}
