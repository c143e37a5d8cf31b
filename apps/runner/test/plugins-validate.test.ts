import { PLUGIN_API_VERSION } from '@trading-orchestrator/plugin-api';
import { cpSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './cli-harness.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'to-validate-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A plugin folder inside the runner's test folder, so its imports resolve from the workspace. */
function plugin(name: string, pkg: object, entry?: string): string {
  const folder = fileURLToPath(new URL(`./.validate/${name}`, import.meta.url));
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'package.json'), JSON.stringify(pkg));
  if (entry !== undefined) writeFileSync(join(folder, 'index.js'), entry);
  return folder;
}
const manifest = (extra: object = {}) => ({ id: 'my-plugin', kind: 'strategy', api: '^1.0.0', entry: './index.js', ...extra });
const pkg = (m: object, peer = '^1.0.0') => ({ name: 'my-plugin', version: '0.1.0', type: 'module', peerDependencies: { '@trading-orchestrator/plugin-api': peer }, 'trading-orchestrator': { plugin: m } });
const STRATEGY = `import { defineStrategy } from '@trading-orchestrator/plugin-api';
import { z } from 'zod';
export default defineStrategy({ configSchema: z.object({ period: z.number() }), init: () => ({ warmupBars: 1, onBar: () => undefined }) });`;

describe('trading-orchestrator plugins validate', () => {
  it('passes a reference plugin, step by step', async () => {
    const { code, out } = await runCli(dir, 'plugins', 'validate', join(repo, 'plugins/strategy-ma-crossover'));
    expect(code).toBe(0);
    expect(out.split('\n').slice(1, -2)).toEqual([
      '  ok    manifest: id ma-crossover, kind strategy, api ^1.1.0, entry ./dist/index.js',
      `  ok    api ^1.1.0 admits this host's plugin API ${PLUGIN_API_VERSION}`,
      '  ok    plugin-api is a peer dependency (^1.1.0)',
      '  ok    entry ./dist/index.js exists',
      `  ok    entry exports a strategy definition (built against plugin API ${PLUGIN_API_VERSION})`,
      '  ok    config schema (zod): an empty config is valid, every field has a default',
    ]);
  });

  it('names a config a user must give', async () => {
    const { code, out } = await runCli(dir, 'plugins', 'validate', plugin('needs-config', pkg(manifest()), STRATEGY));
    expect(code).toBe(0);
    expect(out).toContain('  ok    config schema (zod): a config must set period');
  });

  it('lists every manifest problem, and a peer range that disagrees with "api"', async () => {
    const bad = await runCli(dir, 'plugins', 'validate', plugin('bad-manifest', pkg({ id: 'Bad Id', kind: 'strategy', api: 'soon' })));
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('  error trading-orchestrator.plugin.id: use lowercase letters');
    expect(bad.err).toContain('  error trading-orchestrator.plugin.api: must be a semver range such as "^1.0.0"');
    expect(bad.err).toContain('  error trading-orchestrator.plugin.entry: is required');
    const peer = await runCli(dir, 'plugins', 'validate', plugin('peer', pkg(manifest(), '^1.2.0'), STRATEGY));
    expect(peer.err).toContain('  error peerDependencies: @trading-orchestrator/plugin-api is ^1.2.0 but "api" is ^1.0.0; make them the same range');
  });

  it('an unbuilt entry, an entry that exports nothing, and a kind that does not match', async () => {
    expect((await runCli(dir, 'plugins', 'validate', plugin('unbuilt', pkg(manifest())))).err).toContain('  error entry ./index.js does not exist; build the package (npm run build)');
    expect((await runCli(dir, 'plugins', 'validate', plugin('empty', pkg(manifest()), 'export const x = 1;'))).err).toContain('  error entry ./index.js does not export a plugin definition as "default" or "plugin"');
    expect((await runCli(dir, 'plugins', 'validate', plugin('liar', pkg(manifest({ kind: 'risk' })), STRATEGY))).err).toContain('  error entry defines a strategy plugin but the manifest says risk');
  });

  it('a package.json of null, an entry that throws as it loads or when its export is read, and one that leads out of the package: each an error line, never a stack', async () => {
    const nullJson = plugin('null-json', {});
    writeFileSync(join(nullJson, 'package.json'), 'null');
    const cases: [string, string][] = [
      [nullJson, '  error package.json: holds null, not an object'],
      [plugin('throws', pkg(manifest()), 'throw new Error("no config file in $HOME");'), '  error entry ./index.js failed to import: no config file in $HOME'],
      [plugin('proxy', pkg(manifest()), 'export default new Proxy({}, { get() { throw new Error("gotcha"); } });'), '  error entry ./index.js has exports that threw when read: gotcha'],
    ];
    const outside = plugin('outside', pkg(manifest()));
    writeFileSync(join(dir, 'evil.js'), STRATEGY);
    symlinkSync(join(dir, 'evil.js'), join(outside, 'index.js'));
    cases.push([outside, `  error entry ./index.js: entry resolves to ${realpathSync(join(dir, 'evil.js'))}, outside the package`]);
    for (const [folder, line] of cases) {
      const { code, err } = await runCli(dir, 'plugins', 'validate', folder);
      expect(code, err).toBe(1);
      expect(err).toContain(line);
      expect(err).not.toMatch(/\n\s+at /);
    }
  });

  it('an entry whose top-level await never settles is reported after the time limit, not an exit in silence', { timeout: 60_000 }, async () => {
    const { code, err } = await runCli(dir, 'plugins', 'validate', plugin('tla', pkg(manifest()), 'await new Promise(() => {});\nexport default {};'));
    expect(code).toBe(1);
    expect(err).toContain('  error entry ./index.js did not finish loading within 20 s (a top-level await that never settles?)');
  });

  it('does not import a plugin made for another plugin API, and says so', async () => {
    const future = join(dir, 'future');
    cpSync(join(repo, 'apps/runner/test/fixtures/strategy-future-api'), future, { recursive: true });
    const { code, err } = await runCli(dir, 'plugins', 'validate', future);
    expect(code).toBe(1);
    expect(err).toContain(`  error api: needs plugin API ^2.0.0, this host provides ${PLUGIN_API_VERSION}`);
    expect(err).toContain('  skip  the entry is not imported: this host would not load a plugin made for another plugin API');
    expect(err.trimEnd().split('\n').at(-1)).toBe('1 problem');
  });

  it('a folder without package.json or without the manifest', async () => {
    expect((await runCli(dir, 'plugins', 'validate', dir)).err).toContain('  error package.json: not found');
    writeFileSync(join(dir, 'package.json'), '{"name":"plain","version":"1.0.0"}');
    expect((await runCli(dir, 'plugins', 'validate', '.')).err).toContain('  error trading-orchestrator.plugin: missing; add {"trading-orchestrator": {"plugin": {"id", "kind", "api", "entry"}}} to package.json');
    expect(await runCli(dir, 'plugins', 'validate')).toEqual({ code: 2, out: '', err: 'error: plugins validate needs a folder, e.g. trading-orchestrator plugins validate ./my-plugin\n' });
  });
});
