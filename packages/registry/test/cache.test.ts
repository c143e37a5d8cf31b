import { mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { discoverPlugins, type DiscoveryOptions } from '../src/index.js';
import { pluginPackage, projectPackageJson, tempTree, writeTree, type TempTree } from './fixture-tree.js';

let tree: TempTree | undefined;
afterEach(() => tree?.remove());

function setup(): DiscoveryOptions {
  tree = tempTree({
    'package.json': projectPackageJson({ 'plugin-a': '1', lib: '1' }),
    'package-lock.json': '{"lockfileVersion":3}',
    node_modules: { 'plugin-a': pluginPackage({ name: 'plugin-a' }), lib: { 'package.json': '{"name":"lib","version":"1.0.0"}' } },
    plugins: { 'plugin-b': pluginPackage({ name: 'plugin-b', withEntry: false }) },
  });
  return { projectDir: tree.root, pluginFolders: ['plugins'], hostApiVersion: '1.0.0', cacheFile: `${tree.root}/node_modules/.cache/to/discovery.json` };
}

/** Moves a file's mtime forward so the change is visible even on coarse-timestamp file systems. */
function touch(path: string, content: string): void {
  writeFileSync(path, content);
  const later = new Date(Date.now() + 5_000);
  utimesSync(path, later, later);
}

describe('discovery cache', () => {
  it('a warm start returns the cached catalog', async () => {
    const options = setup();
    const cold = await discoverPlugins(options);
    const warm = await discoverPlugins(options);
    expect(cold.info.cache).toBe('miss');
    expect(warm.info.cache).toBe('hit');
    expect(warm.entries).toEqual(cold.entries);
    expect(warm.problems).toEqual(cold.problems);
  });

  it('is invalidated when the lockfile changes (a dependency was installed or upgraded)', async () => {
    const options = setup();
    await discoverPlugins(options);
    writeTree(tree!.root, { node_modules: { 'plugin-c': pluginPackage({ name: 'plugin-c' }) } });
    touch(`${tree!.root}/package.json`, projectPackageJson({ 'plugin-a': '1', lib: '1', 'plugin-c': '1' }));
    touch(`${tree!.root}/package-lock.json`, '{"lockfileVersion":3,"changed":true}');
    const after = await discoverPlugins(options);
    expect(after.info.cache).toBe('miss');
    expect(after.entries.map((e) => e.id)).toEqual(['plugin-a', 'plugin-b', 'plugin-c']);
  });

  it("is invalidated when a plugin's manifest changes or its entry gets built", async () => {
    const options = setup();
    const first = await discoverPlugins(options);
    expect(first.byId('plugin-b')[0]?.status).toBe('invalid');
    mkdirSync(`${tree!.root}/plugins/plugin-b/dist`);
    writeFileSync(`${tree!.root}/plugins/plugin-b/dist/index.js`, 'export default {};');
    const built = await discoverPlugins(options);
    expect(built.info.cache).toBe('miss');
    expect(built.byId('plugin-b')[0]?.status).toBe('compatible');

    touch(`${tree!.root}/node_modules/plugin-a/package.json`, JSON.stringify({ name: 'plugin-a', version: '1.1.0', 'trading-orchestrator': { plugin: { id: 'plugin-a', kind: 'strategy', api: '^2.0.0', entry: './dist/index.js' } } }));
    const changed = await discoverPlugins(options);
    expect(changed.info.cache).toBe('miss');
    expect(changed.byId('plugin-a')[0]).toMatchObject({ version: '1.1.0', status: 'incompatible' });
  });

  it('is invalidated when a plugin folder gains or loses a package', async () => {
    const options = setup();
    await discoverPlugins(options);
    rmSync(`${tree!.root}/plugins/plugin-b`, { recursive: true });
    const after = await discoverPlugins(options);
    expect(after.info.cache).toBe('miss');
    expect(after.entries.map((e) => e.id)).toEqual(['plugin-a']);
  });

  it('is keyed by the options and the host API version', async () => {
    const options = setup();
    await discoverPlugins(options);
    expect((await discoverPlugins({ ...options, hostApiVersion: '2.0.0' })).info.cache).toBe('miss');
    expect((await discoverPlugins({ ...options, pluginFolders: [] })).info.cache).toBe('miss');
  });

  it('a cache location that cannot be written does not fail discovery', async () => {
    const options = setup();
    writeFileSync(`${tree!.root}/blocker`, 'a file where a folder should be');
    const catalog = await discoverPlugins({ ...options, cacheFile: `${tree!.root}/blocker/discovery.json` });
    expect(catalog.info.cache).toBe('write-failed');
    expect(catalog.entries).toHaveLength(2);
  });

  it('a corrupt cache file is ignored and rewritten', async () => {
    const options = setup();
    mkdirSync(`${tree!.root}/node_modules/.cache/to`, { recursive: true });
    writeFileSync(options.cacheFile as string, '{not json');
    expect((await discoverPlugins(options)).info.cache).toBe('miss');
    expect((await discoverPlugins(options)).info.cache).toBe('hit');
  });
});
