import { afterEach, describe, expect, it } from 'vitest';
import { discoverPlugins } from '../src/index.js';
import { plainPackage, pluginPackage, projectPackageJson, tempTree, type TempTree } from './fixture-tree.js';

const HOST = '1.2.0';
let tree: TempTree | undefined;
afterEach(() => tree?.remove());

const summary = (entries: readonly { id: string; packageName: string; version: string; status: string; source: string }[]) =>
  entries.map((e) => `${e.id} ${e.packageName}@${e.version} ${e.status} ${e.source}`);

describe('discovery across install layouts', () => {
  it("npm's flat layout, with scoped packages and ordinary dependencies ignored", async () => {
    tree = tempTree({
      'package.json': projectPackageJson({ '@acme/strategy-rsi': '^1.0.0', 'data-csv': '^2.0.0', lodash: '^4.0.0' }, { vitest: '^4.0.0' }),
      node_modules: {
        '@acme': { 'strategy-rsi': pluginPackage({ name: '@acme/strategy-rsi', version: '1.4.0', id: 'rsi' }) },
        'data-csv': pluginPackage({ name: 'data-csv', version: '2.0.1', kind: 'data' }),
        lodash: plainPackage('lodash', '4.17.21'),
        vitest: plainPackage('vitest', '4.1.0'),
        'not-declared-plugin': pluginPackage({ name: 'not-declared-plugin' }),
      },
    });
    const catalog = await discoverPlugins({ projectDir: tree.root, hostApiVersion: HOST });
    expect(summary(catalog.entries)).toEqual(['data-csv data-csv@2.0.1 compatible dependency', 'rsi @acme/strategy-rsi@1.4.0 compatible dependency']);
    expect(catalog.problems).toEqual([]);
  });

  it("pnpm's symlinked layout: links into .pnpm are followed and reported by their real folder", async () => {
    tree = tempTree({
      'package.json': projectPackageJson({ '@acme/risk-var': '1.0.0' }),
      node_modules: {
        '.pnpm': { '@acme+risk-var@1.0.0': { node_modules: { '@acme': { 'risk-var': pluginPackage({ name: '@acme/risk-var', kind: 'risk' }) } } } },
        '@acme': { 'risk-var': { link: '../.pnpm/@acme+risk-var@1.0.0/node_modules/@acme/risk-var' } },
      },
    });
    const catalog = await discoverPlugins({ projectDir: tree.root, hostApiVersion: HOST });
    expect(summary(catalog.entries)).toEqual(['risk-var @acme/risk-var@1.0.0 compatible dependency']);
    expect(catalog.entries[0]?.packageDir).toContain('.pnpm/@acme+risk-var@1.0.0/node_modules/@acme/risk-var');
  });

  it('workspace links and a dependency hoisted to the workspace root', async () => {
    tree = tempTree({
      'package.json': JSON.stringify({ name: 'workspace-root', private: true }),
      node_modules: {
        'hoisted-plugin': pluginPackage({ name: 'hoisted-plugin', kind: 'indicator' }),
        'my-strategy': { link: '../packages/my-strategy' },
      },
      packages: {
        'my-strategy': pluginPackage({ name: 'my-strategy', version: '0.3.0' }),
        app: { 'package.json': projectPackageJson({ 'my-strategy': 'workspace:*', 'hoisted-plugin': '^1.0.0' }) },
      },
    });
    const catalog = await discoverPlugins({ projectDir: `${tree.root}/packages/app`, hostApiVersion: HOST });
    expect(summary(catalog.entries)).toEqual(['hoisted-plugin hoisted-plugin@1.0.0 compatible dependency', 'my-strategy my-strategy@0.3.0 compatible dependency']);
  });

  it('a global install: plugins installed beside the runner are found', async () => {
    tree = tempTree({
      global: {
        lib: {
          node_modules: {
            '@trading-orchestrator': { runner: { 'package.json': JSON.stringify({ name: '@trading-orchestrator/runner', version: '1.0.0' }) } },
            'strategy-bollinger': pluginPackage({ name: 'strategy-bollinger' }),
            typescript: plainPackage('typescript'),
          },
        },
      },
      project: { 'package.json': projectPackageJson({}) },
    });
    const catalog = await discoverPlugins({
      projectDir: `${tree.root}/project`,
      runnerDir: `${tree.root}/global/lib/node_modules/@trading-orchestrator/runner`,
      hostApiVersion: HOST,
    });
    expect(summary(catalog.entries)).toEqual(['strategy-bollinger strategy-bollinger@1.0.0 compatible runner-install']);
  });

  it('does not list the project node_modules when the runner is installed in the project', async () => {
    tree = tempTree({
      'package.json': projectPackageJson({ '@trading-orchestrator/runner': '^1.0.0' }),
      node_modules: {
        '@trading-orchestrator': { runner: { 'package.json': JSON.stringify({ name: '@trading-orchestrator/runner', version: '1.0.0' }) } },
        'transitive-plugin': pluginPackage({ name: 'transitive-plugin' }),
      },
    });
    const catalog = await discoverPlugins({ projectDir: tree.root, runnerDir: `${tree.root}/node_modules/@trading-orchestrator/runner`, hostApiVersion: HOST });
    expect(catalog.entries).toEqual([]);
  });

  it('explicit paths, the environment variable and local plugin folders', async () => {
    tree = tempTree({
      'package.json': projectPackageJson({}),
      vendor: { 'my-broker': pluginPackage({ name: 'my-broker', kind: 'broker' }) },
      elsewhere: { 'env-plugin': pluginPackage({ name: 'env-plugin', kind: 'data' }) },
      'local-plugins': {
        'first-local': pluginPackage({ name: 'first-local' }),
        '@team': { 'second-local': pluginPackage({ name: '@team/second-local' }) },
        'notes.txt': 'not a package',
        'empty-dir': {},
      },
    });
    const catalog = await discoverPlugins({
      projectDir: tree.root,
      pluginPaths: ['vendor/my-broker'],
      pluginFolders: ['local-plugins'],
      env: { TRADING_ORCHESTRATOR_PLUGINS: `${tree.root}/elsewhere/env-plugin` },
      hostApiVersion: HOST,
    });
    expect(summary(catalog.entries)).toEqual([
      'env-plugin env-plugin@1.0.0 compatible env-path',
      'first-local first-local@1.0.0 compatible local-folder',
      'my-broker my-broker@1.0.0 compatible explicit-path',
      'second-local @team/second-local@1.0.0 compatible local-folder',
    ]);
    expect(catalog.problems).toEqual([]);
  });

  it('lists a package reached from two roots once, under the first root', async () => {
    tree = tempTree({
      'package.json': projectPackageJson({ 'dual-plugin': '^1.0.0' }),
      node_modules: { 'dual-plugin': { link: '../plugins/dual-plugin' } },
      plugins: { 'dual-plugin': pluginPackage({ name: 'dual-plugin' }) },
    });
    const catalog = await discoverPlugins({ projectDir: tree.root, pluginFolders: ['plugins'], hostApiVersion: HOST });
    expect(summary(catalog.entries)).toEqual(['dual-plugin dual-plugin@1.0.0 compatible dependency']);
  });
});

describe('catalog queries', () => {
  it('by id, kind, status and capability', async () => {
    tree = tempTree({
      'package.json': projectPackageJson({ a: '1', b: '1', c: '1' }),
      node_modules: {
        a: pluginPackage({ name: 'a', manifest: { id: 'hourly-only', kind: 'strategy', api: '^1.0.0', entry: './dist/index.js', capabilities: { timeframes: ['1h'] } } }),
        b: pluginPackage({ name: 'b', manifest: { id: 'any-timeframe', kind: 'strategy', api: '^1.0.0', entry: './dist/index.js' } }),
        c: pluginPackage({ name: 'c', manifest: { id: 'binance', kind: 'data', api: '^1.0.0', entry: './dist/index.js', capabilities: { markets: ['crypto'], feeds: ['historical', 'live'] } } }),
      },
    });
    const catalog = await discoverPlugins({ projectDir: tree.root, hostApiVersion: HOST });
    expect(catalog.byKind('strategy').map((e) => e.id)).toEqual(['any-timeframe', 'hourly-only']);
    expect(catalog.supporting('timeframes', '1d').map((e) => e.id)).toEqual(['any-timeframe', 'binance']);
    expect(catalog.supporting('timeframes', '1h').map((e) => e.id)).toEqual(['any-timeframe', 'binance', 'hourly-only']);
    expect(catalog.byKind('data').filter((e) => e.manifest?.capabilities?.feeds?.includes('live')).map((e) => e.id)).toEqual(['binance']);
    expect(catalog.loadable('binance')?.packageName).toBe('c');
    expect(catalog.loadable('nope')).toBeUndefined();
    expect(catalog.byStatus('compatible')).toHaveLength(3);
    expect(catalog.ids()).toEqual(['any-timeframe', 'binance', 'hourly-only']);
  });
});
