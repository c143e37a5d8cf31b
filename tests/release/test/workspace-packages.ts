import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = fileURLToPath(new URL('../../../', import.meta.url));

export interface PackageJson {
  name: string;
  version: string;
  private?: boolean;
  files?: string[];
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  engines?: Record<string, string>;
  'trading-orchestrator'?: { plugin?: { api: string; entry: string; kind?: string } };
}

/** Every package of the workspace's publishable groups, found on disk, so a new package is never missed. */
export function workspacePackages(): { dir: string; pkg: PackageJson }[] {
  return ['packages', 'plugins', 'apps']
    .flatMap((group) => readdirSync(join(repo, group)).map((d) => join(repo, group, d)))
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => ({ dir, pkg: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson }));
}
