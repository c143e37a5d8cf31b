import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A tree description: a string is a file's content, an object a folder, `{ link }` a symlink. */
export type Tree = { readonly [name: string]: string | Tree | { readonly link: string } };

function isLink(node: unknown): node is { link: string } {
  return typeof node === 'object' && node !== null && typeof (node as { link?: unknown }).link === 'string' && Object.keys(node).length === 1;
}

export function writeTree(root: string, tree: Tree): void {
  for (const [name, node] of Object.entries(tree)) {
    const path = join(root, name);
    mkdirSync(dirname(path), { recursive: true });
    if (typeof node === 'string') writeFileSync(path, node);
    else if (isLink(node)) symlinkSync(node.link, path);
    else {
      mkdirSync(path, { recursive: true });
      writeTree(path, node as Tree);
    }
  }
}

export interface TempTree {
  readonly root: string;
  remove(): void;
}

export function tempTree(tree: Tree): TempTree {
  const root = mkdtempSync(join(tmpdir(), 'to-registry-'));
  writeTree(root, tree);
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}

export interface PluginPackageOptions {
  readonly name: string;
  readonly version?: string;
  readonly id?: string;
  readonly kind?: string;
  readonly api?: string;
  readonly manifest?: unknown;
  readonly withEntry?: boolean;
  readonly entrySource?: string;
}

/** A plugin package folder: package.json with the manifest field, and its built entry file. */
export function pluginPackage(options: PluginPackageOptions): Tree {
  const manifest = options.manifest ?? {
    id: options.id ?? options.name.replace(/^@[^/]+\//, ''),
    kind: options.kind ?? 'strategy',
    api: options.api ?? '^1.0.0',
    entry: './dist/index.js',
  };
  const files: Record<string, string | Tree> = {
    'package.json': JSON.stringify({ name: options.name, version: options.version ?? '1.0.0', type: 'module', 'trading-orchestrator': { plugin: manifest } }),
  };
  if (options.withEntry !== false) files.dist = { 'index.js': options.entrySource ?? 'export default {};\n' };
  return files;
}

/** A plain npm package with no manifest. */
export function plainPackage(name: string, version = '1.0.0'): Tree {
  return { 'package.json': JSON.stringify({ name, version, main: 'index.js' }), 'index.js': 'module.exports = 1;\n' };
}

export function projectPackageJson(dependencies: Record<string, string>, devDependencies: Record<string, string> = {}): string {
  return JSON.stringify({ name: 'host-project', version: '0.0.0', private: true, dependencies, devDependencies });
}
