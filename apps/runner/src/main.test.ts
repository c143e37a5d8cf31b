import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from './main.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'to-runner-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'p', version: '0.0.0' }));
  cpSync(new URL('../test/fixtures/strategy-momentum', import.meta.url), join(dir, 'plugins', 'strategy-momentum'), { recursive: true });
  cpSync(new URL('../test/fixtures/strategy-future-api', import.meta.url), join(dir, 'plugins', 'strategy-future-api'), { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, {
    cwd: dir,
    env: {},
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
  });
  return { code, out, err };
}

describe('trading-orchestrator plugins list', () => {
  it('prints a table of id, kind, version, package, status and reason, then the fixes', async () => {
    const { code, out } = await cli('plugins', 'list', '--plugin-dir', 'plugins', '--no-cache');
    expect(code).toBe(0);
    const lines = out.split('\n');
    expect(lines[0]).toBe(`Plugins for ${dir} (host plugin API 1.0.0): 2 found, 1 usable`);
    expect(lines[2]).toMatch(/^ID\s+KIND\s+VERSION\s+PACKAGE\s+STATUS\s+REASON$/);
    expect(lines[3]).toMatch(/^fixture-future\s+strategy\s+3\.0\.0\s+fixture-strategy-future-api\s+incompatible\s+needs plugin API \^2\.0\.0, this host provides 1\.0\.0$/);
    expect(lines[4]).toMatch(/^fixture-momentum\s+strategy\s+1\.0\.0\s+fixture-strategy-momentum\s+compatible$/);
    expect(out).toContain('    fix: upgrade the host (npm install @trading-orchestrator/runner@latest)');
  });

  it('is the default command, and explains how to get plugins when there are none', async () => {
    const { code, out } = await cli('--no-cache');
    expect(code).toBe(0);
    expect(out).toContain('0 found, 0 usable');
    expect(out).toContain('No plugins found. Install plugin packages with npm');
  });

  it('reports search problems with their fix', async () => {
    const { out } = await cli('--plugin-path', 'missing-plugin', '--no-cache');
    expect(out).toContain(`  error: ${join(dir, 'missing-plugin')}: plugin path does not exist\n    fix: correct or remove it in the config (pluginPaths)`);
  });

  it('writes the discovery cache into node_modules/.cache', async () => {
    await cli('--plugin-dir', 'plugins', '--json');
    const { out } = await cli('--plugin-dir', 'plugins', '--json');
    expect((JSON.parse(out) as { info: { cache: string } }).info.cache).toBe('hit');
  });
});

describe('command line errors', () => {
  it('an unknown command suggests the nearest one and exits 2', async () => {
    const { code, err } = await cli('plugin', 'lst');
    expect(code).toBe(2);
    expect(err.split('\n')[0]).toBe('error: unknown command "plugin lst". Did you mean "plugins list"?');
  });

  it('an unknown option exits 2 with usage', async () => {
    const { code, err } = await cli('--verbose');
    expect(code).toBe(2);
    expect(err).toMatch(/^error: Unknown option '--verbose'/);
    expect(err).toContain('Usage: trading-orchestrator');
  });

  it('--version names the runner and plugin-API versions', async () => {
    expect((await cli('--version')).out).toBe('trading-orchestrator 1.0.0 (plugin API 1.0.0)\n');
  });
});
