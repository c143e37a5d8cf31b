import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { discoverPlugins } from '../src/index.js';
import { pluginPackage, projectPackageJson, tempTree, type TempTree } from './fixture-tree.js';

const HOST = '1.2.0';
let tree: TempTree | undefined;
afterEach(() => tree?.remove());

describe('discovery reports every bad package and folder, and never crashes', () => {
  it('an invalid manifest is listed as invalid with every field problem', async () => {
    tree = tempTree({
      'package.json': projectPackageJson({ 'broken-manifest': '1' }),
      node_modules: {
        'broken-manifest': pluginPackage({ name: 'broken-manifest', manifest: { id: 'Broken Manifest', kind: 'strategy', api: 'latest', colour: 'red' } }),
      },
    });
    const catalog = await discoverPlugins({ projectDir: tree.root, hostApiVersion: HOST });
    const [entry] = catalog.entries;
    expect(entry).toMatchObject({ id: 'Broken Manifest', kind: 'strategy', status: 'invalid', reason: 'manifest has 3 errors' });
    expect(entry?.problems.map((p) => `${p.severity} ${p.path}: ${p.message}`)).toEqual([
      'error trading-orchestrator.plugin.id: use lowercase letters, digits and single dashes, starting with a letter (e.g. "rsi-mean-reversion")',
      'error trading-orchestrator.plugin.api: must be a semver range such as "^1.0.0"',
      'error trading-orchestrator.plugin.entry: is required',
      'warning trading-orchestrator.plugin.colour: unknown field "colour" is ignored (known: id, kind, api, entry, displayName, description, capabilities, dependencies, panel)',
    ]);
    expect(entry?.fix).toMatch(/^correct "trading-orchestrator.plugin" in .*broken-manifest\/package.json, or install a fixed release of broken-manifest$/);
  });

  it('a plugin made for a future plugin-API major is incompatible, with the reason and the fix', async () => {
    tree = tempTree({
      'package.json': projectPackageJson({ 'future-plugin': '1', 'old-plugin': '1' }),
      node_modules: {
        'future-plugin': pluginPackage({ name: 'future-plugin', api: '^2.0.0' }),
        'old-plugin': pluginPackage({ name: 'old-plugin', api: '^0.9.0' }),
      },
    });
    const catalog = await discoverPlugins({ projectDir: tree.root, hostApiVersion: HOST });
    const future = catalog.byId('future-plugin')[0];
    expect(future?.status).toBe('incompatible');
    expect(future?.reason).toBe('needs plugin API ^2.0.0, this host provides 1.2.0');
    expect(future?.fix).toBe(
      'upgrade the host (npm install @trading-orchestrator/runner@latest) to one whose plugin API satisfies ^2.0.0, or install a release of future-plugin made for plugin API 1.x',
    );
    const old = catalog.byId('old-plugin')[0];
    expect(old?.reason).toBe('needs plugin API ^0.9.0, this host provides 1.2.0');
    expect(old?.fix).toBe('install a release of old-plugin made for plugin API 1.x (npm install old-plugin@latest), or ask its author to widen "api" to include 1.2.0');
  });

  it('two packages claiming one id are both a conflict; neither wins', async () => {
    tree = tempTree({
      'package.json': projectPackageJson({ 'rsi-a': '1', 'rsi-b': '1' }),
      node_modules: {
        'rsi-a': pluginPackage({ name: 'rsi-a', id: 'rsi' }),
        'rsi-b': pluginPackage({ name: 'rsi-b', id: 'rsi', version: '2.0.0' }),
      },
    });
    const catalog = await discoverPlugins({ projectDir: tree.root, hostApiVersion: HOST });
    expect(catalog.entries.map((e) => [e.packageName, e.status])).toEqual([
      ['rsi-a', 'conflict'],
      ['rsi-b', 'conflict'],
    ]);
    expect(catalog.entries[0]?.reason).toMatch(/^id "rsi" is also claimed by rsi-b@2\.0\.0 \(.*\/node_modules\/rsi-b\)$/);
    expect(catalog.entries[0]?.fix).toBe('keep one of rsi-a, rsi-b: uninstall the others or remove them from the plugin paths');
    expect(catalog.loadable('rsi')).toBeUndefined();
  });

  it('a manifest whose entry file was never built is invalid, with the build as the fix', async () => {
    tree = tempTree({ 'package.json': projectPackageJson({}), plugins: { unbuilt: pluginPackage({ name: 'unbuilt', withEntry: false }) } });
    const catalog = await discoverPlugins({ projectDir: tree.root, pluginFolders: ['plugins'], hostApiVersion: HOST });
    expect(catalog.entries[0]).toMatchObject({ status: 'invalid', reason: 'entry ./dist/index.js is missing' });
    expect(catalog.entries[0]?.fix).toMatch(/^build the package \(e\.g\. npm run build in .*\/plugins\/unbuilt\)$/);
  });

  it('an entry that is a symbolic link out of the package, or to a folder, is invalid and never imported', async () => {
    tree = tempTree({
      'package.json': projectPackageJson({}),
      elsewhere: { 'evil.js': 'globalThis.__ranEvil = true; export default {};\n', folder: { 'index.js': 'export default {};\n' } },
      plugins: { escapes: pluginPackage({ name: 'escapes', withEntry: false }), folder: pluginPackage({ name: 'folder', withEntry: false }) },
    });
    mkdirSync(join(tree.root, 'plugins/escapes/dist'));
    symlinkSync(join(tree.root, 'elsewhere/evil.js'), join(tree.root, 'plugins/escapes/dist/index.js'));
    mkdirSync(join(tree.root, 'plugins/folder/dist'));
    symlinkSync(join(tree.root, 'elsewhere/folder'), join(tree.root, 'plugins/folder/dist/index.js'));
    const catalog = await discoverPlugins({ projectDir: tree.root, pluginFolders: ['plugins'], hostApiVersion: HOST });
    const byId = new Map(catalog.entries.map((e) => [e.id, e]));
    expect(byId.get('escapes')).toMatchObject({ status: 'invalid', reason: 'entry ./dist/index.js is not a file of the package' });
    expect(byId.get('escapes')?.problems.at(-1)?.message).toMatch(/^entry resolves to .*\/elsewhere\/evil\.js, outside the package/);
    expect(byId.get('folder')).toMatchObject({ status: 'invalid' });
    expect(catalog.loadable('escapes')).toBeUndefined();
    expect((globalThis as { __ranEvil?: boolean }).__ranEvil).toBeUndefined();
  });

  it('broken JSON, a missing path, a non-plugin path and an undeclared install are reported by path', async () => {
    tree = tempTree({
      'package.json': projectPackageJson({ 'bad-json': '1', 'not-installed': '1' }),
      node_modules: { 'bad-json': { 'package.json': '{ "name": "bad-json", ' } },
      'just-a-lib': { 'package.json': JSON.stringify({ name: 'just-a-lib', version: '1.0.0' }) },
    });
    const catalog = await discoverPlugins({ projectDir: tree.root, pluginPaths: ['does-not-exist', 'just-a-lib'], hostApiVersion: HOST });
    const lines = catalog.problems.map((p) => `${p.severity} ${p.path.replace(tree!.root, '<root>')}: ${p.message}`);
    expect(lines).toEqual([
      'warning <root>/package.json: dependency "not-installed" is declared but not installed',
      expect.stringMatching(/^warning <root>\/node_modules\/bad-json\/package\.json: package\.json is not valid JSON: /),
      'error <root>/does-not-exist: plugin path does not exist',
      'error <root>/just-a-lib/package.json: not a plugin: package.json has no "trading-orchestrator.plugin" field',
    ]);
    expect(catalog.problems[2]?.fix).toBe('correct or remove it in the config (pluginPaths)');
    expect(catalog.entries).toEqual([]);
  });

  it('symlink loops and broken links in a plugin folder are problems, not hangs', async () => {
    tree = tempTree({
      'package.json': projectPackageJson({}),
      plugins: {
        'loop-a': { link: 'loop-b' },
        'loop-b': { link: 'loop-a' },
        self: { link: '.' },
        dangling: { link: 'nowhere' },
        good: pluginPackage({ name: 'good' }),
      },
    });
    const catalog = await discoverPlugins({ projectDir: tree.root, pluginFolders: ['plugins'], hostApiVersion: HOST });
    expect(catalog.entries.map((e) => e.id)).toEqual(['good']);
    expect(catalog.problems.map((p) => `${p.path.replace(tree!.root, '<root>')}: ${p.message}`)).toEqual([
      '<root>/plugins/dangling: broken symbolic link',
      '<root>/plugins/loop-a: symbolic link loop',
      '<root>/plugins/loop-b: symbolic link loop',
    ]);
  });

  it('a project without package.json still searches the other roots', async () => {
    tree = tempTree({ plugins: { lone: pluginPackage({ name: 'lone' }) } });
    const catalog = await discoverPlugins({ projectDir: tree.root, pluginFolders: ['plugins'], hostApiVersion: HOST });
    expect(catalog.entries.map((e) => e.id)).toEqual(['lone']);
    expect(catalog.problems).toEqual([]);
  });

  it('runs no plugin code', async () => {
    tree = tempTree({ 'package.json': projectPackageJson({ noisy: '1' }), node_modules: { noisy: pluginPackage({ name: 'noisy' }) } });
    const marker = `${tree.root}/imported.txt`;
    writeFileSync(`${tree.root}/node_modules/noisy/dist/index.js`, `import { writeFileSync } from 'node:fs'; writeFileSync(${JSON.stringify(marker)}, 'ran'); throw new Error('boom');\n`);
    const catalog = await discoverPlugins({ projectDir: tree.root, hostApiVersion: HOST });
    expect(catalog.loadable('noisy')).toBeDefined();
    expect(existsSync(marker)).toBe(false);
  });

  it('an unreadable folder is reported and the rest is still found', () => {
    tree = tempTree({
      'package.json': projectPackageJson({}),
      plugins: { locked: pluginPackage({ name: 'locked' }), open: pluginPackage({ name: 'open' }) },
      'locked-folder': { inner: pluginPackage({ name: 'inner' }) },
    });
    chmodSync(tree.root, 0o755);
    chmodSync(`${tree.root}/plugins/locked/package.json`, 0o000);
    chmodSync(`${tree.root}/locked-folder`, 0o000);
    // Permissions do not bind root, so as root the check runs in a child process as "nobody".
    const script = `
      const { discoverPlugins } = await import(${JSON.stringify(fileURLToPath(new URL('../dist/index.js', import.meta.url)))});
      const c = await discoverPlugins({ projectDir: ${JSON.stringify(tree.root)}, pluginFolders: ['plugins', 'locked-folder'], hostApiVersion: '1.2.0' });
      console.log(JSON.stringify({ ids: c.entries.map((e) => e.id), problems: c.problems.map((p) => p.path.slice(${tree.root.length}) + ': ' + p.message) }));`;
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', ...asNobody });
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout)).toEqual({
      ids: ['open'],
      problems: ['/locked-folder: folder is not readable (permission denied)', '/plugins/locked/package.json: package.json is not readable (permission denied)'],
    });
  });
});
