import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Packs the host packages and two fixture plugins as a user would receive them from npm, installs the tarballs
 * with npm into a scratch project outside the repository, and runs the installed command there. Third-party
 * dependencies are packed from the workspace's own install, so the test needs no network.
 */
const repo = fileURLToPath(new URL('../../../', import.meta.url));
const pnpm = join(repo, 'node_modules', '.bin', 'pnpm');
const hostPackages = ['packages/plugin-api', 'packages/registry', 'packages/core-manager', 'packages/indicators', 'packages/engine', 'packages/report', 'apps/runner'];
const fixtures = ['apps/runner/test/fixtures/strategy-momentum', 'apps/runner/test/fixtures/strategy-future-api'];
/** Third-party dependencies of the packed packages, with the workspace folder they are installed under. */
const thirdParty: [string, string][] = [
  ['zod', 'packages/plugin-api'],
  ['semver', 'packages/plugin-api'],
  ['@standard-schema/spec', 'packages/plugin-api'],
  ['yaml', 'apps/runner'],
];

const NPM_OFFLINE = ['--offline', '--no-audit', '--no-fund', '--loglevel=error'];

let work: string;
let futureInstallRefusal = '';
let project: string;

function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false' } });
}

/** An npm-style tarball (`package/` prefix) of an already installed package, as the registry would serve it. */
function tarInstalledPackage(dir: string, destination: string): void {
  const staging = mkdtempSync(join(work, 'stage-'));
  cpSync(dir, join(staging, 'package'), { recursive: true, dereference: true });
  const { name, version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; version: string };
  run('tar', ['-czf', join(destination, `${name.replace('@', '').replace('/', '-')}-${version}.tgz`), 'package'], staging);
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'to-e2e-'));
  const tarballs = join(work, 'tarballs');
  project = join(work, 'project');
  mkdirSync(tarballs);
  for (const dir of hostPackages) run(pnpm, ['pack', '--pack-destination', tarballs], join(repo, dir));
  for (const dir of fixtures) run('npm', ['pack', '--pack-destination', tarballs], join(repo, dir));
  for (const [name, from] of thirdParty) tarInstalledPackage(realpathSync(join(repo, from, 'node_modules', name)), tarballs);
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
    expect(lines[0]).toBe(`Plugins for ${realpathSync(project)} (host plugin API 1.0.0): 3 found, 2 usable`);
    expect(lines.find((l) => l.startsWith('fixture-momentum'))).toMatch(/^fixture-momentum\s+strategy\s+1\.0\.0\s+fixture-strategy-momentum\s+compatible$/);
    expect(lines.find((l) => l.startsWith('fixture-future'))).toMatch(
      /^fixture-future\s+strategy\s+3\.0\.0\s+fixture-strategy-future-api\s+incompatible\s+needs plugin API \^2\.0\.0, this host provides 1\.0\.0$/,
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
