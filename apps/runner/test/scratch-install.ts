import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root, its pnpm, and npm's flags for installing local tarballs with no network. */
export const repo = fileURLToPath(new URL('../../../', import.meta.url));
export const pnpm = join(repo, 'node_modules', '.bin', 'pnpm');
export const NPM_OFFLINE = ['--offline', '--no-audit', '--no-fund', '--loglevel=error'];

/** The host packages a user installs to run the command (the journal is optional and left out). */
export const HOST_PACKAGES = ['packages/plugin-api', 'packages/registry', 'packages/core-manager', 'packages/indicators', 'packages/engine', 'packages/report', 'packages/research', 'apps/runner'];
/** Third-party dependencies of the host packages, with the workspace folder they are installed under. */
export const THIRD_PARTY: readonly (readonly [string, string])[] = [
  ['zod', 'packages/plugin-api'],
  ['semver', 'packages/plugin-api'],
  ['@standard-schema/spec', 'packages/plugin-api'],
  ['yaml', 'apps/runner'],
];

/** The host's plugin-API version, as the packages here would publish it. */
export const HOST_API_VERSION = (JSON.parse(readFileSync(join(repo, 'packages/plugin-api/package.json'), 'utf8')) as { version: string }).version;

export function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false' } });
}

/** An npm-style tarball (`package/` prefix) of an already installed package, as the registry would serve it. */
export function tarInstalledPackage(dir: string, destination: string, work: string): void {
  const staging = mkdtempSync(join(work, 'stage-'));
  cpSync(dir, join(staging, 'package'), { recursive: true, dereference: true });
  const { name, version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; version: string };
  run('tar', ['-czf', join(destination, `${name.replace('@', '').replace('/', '-')}-${version}.tgz`), 'package'], staging);
}
