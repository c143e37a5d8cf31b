import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root, its pnpm, and npm's flags for installing local tarballs with no network. */
export const repo = fileURLToPath(new URL('../../../', import.meta.url));
export const pnpm = join(repo, 'node_modules', '.bin', 'pnpm');
export const NPM_OFFLINE = ['--offline', '--no-audit', '--no-fund', '--loglevel=error'];

/** The host packages a user installs to run the command (the journal is optional and left out). */
export const HOST_PACKAGES = ['packages/plugin-api', 'packages/registry', 'packages/core-manager', 'packages/indicators', 'packages/engine', 'packages/report', 'packages/research', 'apps/runner'];
/** Where Node would find package `name` from `dir`: the nearest `node_modules/name` above it. */
function resolvePackageDir(name: string, dir: string): string | undefined {
  for (let at = dir; ; at = dirname(at)) {
    if (basename(at) !== 'node_modules' && existsSync(join(at, 'node_modules', name, 'package.json'))) return realpathSync(join(at, 'node_modules', name));
    if (dirname(at) === at) return undefined;
  }
}

type Manifest = { name: string; version: string; dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };

/**
 * The installed folders of every third-party package the host packages need, their dependencies' included (an
 * optional one only when it is installed here), each name and version once: what npm would fetch from the registry.
 */
export function thirdPartyPackages(): string[] {
  const found = new Map<string, string>();
  const visit = (dir: string, manifest: Manifest, optional: ReadonlySet<string>) => {
    for (const name of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) {
      if (manifest.dependencies?.[name]?.startsWith('workspace:') === true) continue;
      const at = resolvePackageDir(name, dir);
      if (at === undefined) {
        if (optional.has(name)) continue;
        throw new Error(`${manifest.name} needs ${name}, which is not installed under ${dir}`);
      }
      const pkg = JSON.parse(readFileSync(join(at, 'package.json'), 'utf8')) as Manifest;
      const key = `${pkg.name}@${pkg.version}`;
      if (found.has(key)) continue;
      found.set(key, at);
      visit(at, pkg, new Set(Object.keys(pkg.optionalDependencies ?? {})));
    }
  };
  for (const host of HOST_PACKAGES) {
    const dir = join(repo, host);
    visit(dir, JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest, new Set());
  }
  return [...found.values()];
}

/** The host's plugin-API version, as the packages here would publish it. */
export const HOST_API_VERSION = (JSON.parse(readFileSync(join(repo, 'packages/plugin-api/package.json'), 'utf8')) as { version: string }).version;

export function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false' } });
}

/** An npm-style tarball (`package/` prefix) of an already installed package, as the registry would serve it. */
export function tarInstalledPackage(dir: string, destination: string, work: string): void {
  const staging = mkdtempSync(join(work, 'stage-'));
  // A registry tarball never holds node_modules; pnpm keeps a package's .bin shims there, with paths into its store.
  cpSync(dir, join(staging, 'package'), { recursive: true, dereference: true, filter: (from) => !from.startsWith(join(dir, 'node_modules')) });
  const { name, version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; version: string };
  run('tar', ['-czf', join(destination, `${name.replace('@', '').replace('/', '-')}-${version}.tgz`), 'package'], staging);
}
