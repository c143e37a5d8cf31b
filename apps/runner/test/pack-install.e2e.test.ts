import { mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOST_API_VERSION, HOST_PACKAGES, NPM_OFFLINE, pnpm, repo, run, tarInstalledPackage, thirdPartyPackages } from './scratch-install.js';

/**
 * Packs the host packages and two fixture plugins as a user would receive them from npm, installs the tarballs
 * with npm into a scratch project outside the repository, and runs the installed command there. Third-party
 * dependencies are packed from the workspace's own install, so the test needs no network.
 */
const fixtures = ['apps/runner/test/fixtures/strategy-momentum', 'apps/runner/test/fixtures/strategy-future-api'];

let work: string;
let futureInstallRefusal = '';
let project: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'to-e2e-'));
  const tarballs = join(work, 'tarballs');
  project = join(work, 'project');
  mkdirSync(tarballs);
  for (const dir of HOST_PACKAGES) run(pnpm, ['pack', '--pack-destination', tarballs], join(repo, dir));
  for (const dir of fixtures) run('npm', ['pack', '--pack-destination', tarballs], join(repo, dir));
  for (const dir of thirdPartyPackages()) tarInstalledPackage(dir, tarballs, work);
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'scratch-trading-project', version: '0.0.0', private: true }));
  const files = readdirSync(tarballs).filter((f) => f.endsWith('.tgz')).map((f) => join(tarballs, f));
  const [future, others] = [files.filter((f) => f.includes('future-api')), files.filter((f) => !f.includes('future-api'))];
  run('npm', ['install', ...NPM_OFFLINE, ...others], project);
  futureInstallRefusal = refusalOf(() => run('npm', ['install', ...NPM_OFFLINE, ...future], project));
  // What npm's own message tells a user to do when they insist on the plugin.
  run('npm', ['install', ...NPM_OFFLINE, '--legacy-peer-deps', ...future], project);
});

function refusalOf(action: () => unknown): string {
  try {
    action();
    return '';
  } catch (error) {
    return String((error as { stderr?: unknown }).stderr ?? error);
  }
}

afterAll(() => {
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

describe('packed and installed with npm outside the repository', () => {
  it("npm refuses a plugin whose plugin-api peer range excludes the installed host until told to ignore peers", () => {
    expect(futureInstallRefusal).toContain('ERESOLVE');
    expect(futureInstallRefusal).toContain('@trading-orchestrator/plugin-api@"^2.0.0"');
  });

  it('`trading-orchestrator plugins list` shows the installed plugin as compatible and the future one with its reason', () => {
    const out = run(join(project, 'node_modules', '.bin', 'trading-orchestrator'), ['plugins', 'list'], project);
    const lines = out.split('\n');
    // The indicators package is installed directly here, and it is an indicator plugin pack.
    expect(lines[0]).toBe(`Plugins for ${realpathSync(project)} (host plugin API ${HOST_API_VERSION}): 3 found, 2 usable`);
    expect(lines.find((l) => l.startsWith('fixture-momentum'))).toMatch(/^fixture-momentum\s+strategy\s+1\.0\.0\s+fixture-strategy-momentum\s+compatible$/);
    expect(lines.find((l) => l.startsWith('fixture-future'))).toMatch(
      new RegExp(`^fixture-future\\s+strategy\\s+3\\.0\\.0\\s+fixture-strategy-future-api\\s+incompatible\\s+needs plugin API \\^2\\.0\\.0, this host provides ${HOST_API_VERSION.replaceAll('.', '\\.')}$`),
    );
    expect(out).toContain('fix: upgrade the host (npm install @trading-orchestrator/runner@latest) to one whose plugin API satisfies ^2.0.0');
  });

  it('the installed plugin is a real plugin definition the host can import', async () => {
    const script = `
      const { isPluginDefinition } = await import('@trading-orchestrator/plugin-api');
      const plugin = (await import('fixture-strategy-momentum')).default;
      const instance = await plugin.init({ pluginId: 'm', config: { lookback: 2 }, logger: console, clock: { now: () => 0 }, signal: new AbortController().signal, subscribe: () => () => {} });
      const bar = (t, close) => ({ symbol: 'SPY', timeframe: '1d', time: t, open: close, high: close, low: close, close, volume: 1 });
      const signals = [10, 11, 12].map((c, i) => instance.onBar(bar(i, c)));
      console.log(JSON.stringify({ valid: isPluginDefinition(plugin), side: signals[2]?.side }));`;
    const out = run(process.execPath, ['--input-type=module', '-e', script], project);
    expect(JSON.parse(out)).toEqual({ valid: true, side: 'buy' });
  });

  it('--json gives the catalog for tools', () => {
    const out = run(join(project, 'node_modules', '.bin', 'trading-orchestrator'), ['plugins', 'list', '--json', '--no-cache'], project);
    const catalog = JSON.parse(out) as { entries: { id: string; status: string; source: string }[] };
    expect(catalog.entries.map((e) => [e.id, e.status, e.source])).toEqual([
      ['fixture-future', 'incompatible', 'dependency'],
      ['fixture-momentum', 'compatible', 'dependency'],
      ['indicators', 'compatible', 'dependency'],
    ]);
  });
});
