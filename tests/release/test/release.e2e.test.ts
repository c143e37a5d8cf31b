import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRegistry, type LocalRegistry } from './local-registry.js';
import { publishInstalled, thirdPartyClosure } from './seed-registry.js';
import { repo, workspacePackages } from './workspace-packages.js';

/**
 * The release path end to end, against a real npm registry (verdaccio) on loopback: changesets versions and
 * publishes every package of a copy of this repository; npm installs the runner and plugins into a fresh folder
 * outside it, from that registry only; one plugin gets a minor release and is updated there; a plugin needing a
 * future plugin API is installed and refused; and a plugin scaffolded with `npm create` is built, tested,
 * published, installed and run. Third-party packages are published to the registry from this repository's own
 * install, so nothing comes from the internet.
 */
const SCOPE = '@trading-orchestrator/';
const MA = `${SCOPE}strategy-ma-crossover`;
const SYNTHETIC = `${SCOPE}data-synthetic`;

let work: string;
let registry: LocalRegistry;
let copy: string;
let project: string;
let env: NodeJS.ProcessEnv;

function run(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} (in ${cwd}) exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}
const npm = (args: string[], cwd: string) => run('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], cwd);
const changeset = (args: string[]) => run(process.execPath, [join(repo, 'node_modules/@changesets/cli/bin.js'), ...args], copy);
const runner = (args: string[]) => run(join(project, 'node_modules/.bin/trading-orchestrator'), args, project);
const version = (dir: string) => (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
/** A package's version in the released copy: the repository's, moved by whatever changesets were pending. */
const released = (dir: string) => version(join(copy, relative(repo, dir)));

function publicPackages(): { name: string; dir: string }[] {
  return workspacePackages().filter(({ pkg }) => pkg.private !== true).map(({ dir, pkg }) => ({ name: pkg.name, dir }));
}

const RUN_CONFIG = `data:
  plugin: data-synthetic
symbols: [ALPHA]
timeframe: 1h
start: 2021-01-01
end: 2021-03-01
capital: 100000
strategies:
  - plugin: ma-crossover
    config: { fast: 5, slow: 20 }
`;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'to-release-'));
  registry = await startLocalRegistry(join(work, 'registry'));
  env = { ...process.env, ...registry.env, CI: 'true', PATH: `${join(repo, 'node_modules/.bin')}${delimiter}${process.env['PATH'] ?? ''}` };
  // Third-party packages the installs below need: the runner's and the plugins' dependencies, and what a
  // scaffolded plugin develops with.
  const own = (name: string) => name.startsWith(SCOPE);
  const roots = publicPackages().map((p) => p.dir);
  const devTools = ['tsup', 'vitest', 'typescript', '@types/node'].map((name) => realpathSync(join(repo, 'node_modules', name)));
  // The Binance and Yahoo plugins are published but not installed here: their clients (ccxt, yahoo-finance2) stay out.
  const closure = thirdPartyClosure([...roots.filter((d) => !/data-(binance|yahoo)$/.test(d)), ...devTools], own);
  for (const tool of devTools) closure.set(tool, tool);
  mkdirSync(join(work, 'tarballs'));
  await publishInstalled(registry, closure.values(), join(work, 'tarballs'));

  // A copy of the repository, built, without its install: what a maintainer releases from.
  copy = join(work, 'repo');
  cpSync(repo, copy, { recursive: true, filter: (src) => !/[\\/](node_modules|\.git|\.turbo|test-results\.json)$/.test(src) });
  // pnpm publish rewrites workspace: ranges from the linked workspace, so the copy is installed (offline, from the
  // store the repository was installed from) as a maintainer's clone would be.
  run('pnpm', ['install', '--offline', '--frozen-lockfile', '--ignore-scripts'], copy);
  changeset(['version']);
  changeset(['publish']);

  project = join(work, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'my-trading-desk', version: '0.0.0', private: true }));
  writeFileSync(join(project, 'run.yaml'), RUN_CONFIG);
  npm(['install', `${SCOPE}runner`, MA, SYNTHETIC], project);
}, 900_000);

afterAll(async () => {
  await registry?.stop();
  // KEEP_RELEASE_WORK=1 leaves the registry storage, the repository copy and the project for inspection.
  if (work !== undefined && process.env['KEEP_RELEASE_WORK'] === undefined) rmSync(work, { recursive: true, force: true });
});

describe('releasing to a registry and installing from it', () => {
  it('changesets published every public package at its version, with workspace ranges rewritten', async () => {
    for (const pkg of publicPackages()) {
      const doc = await registry.packument(pkg.name);
      expect(doc?.['dist-tags']['latest'], pkg.name).toBe(released(pkg.dir));
    }
    const runnerDoc = (await registry.packument(`${SCOPE}runner`))!;
    const deps = (runnerDoc.versions[released(join(repo, 'apps/runner'))] as { dependencies: Record<string, string> }).dependencies;
    expect(Object.values(deps).some((r) => r.startsWith('workspace:'))).toBe(false);
    expect(deps[`${SCOPE}engine`]).toBe(`^${released(join(repo, 'packages/engine'))}`);
  });

  it('the runner installed from the registry discovers the installed plugins and trades with them', () => {
    const list = JSON.parse(runner(['plugins', 'list', '--json', '--no-cache'])) as { entries: { id: string; status: string; version: string }[] };
    expect(list.entries.map((e) => [e.id, e.status])).toEqual(expect.arrayContaining([['ma-crossover', 'compatible'], ['data-synthetic', 'compatible']]));
    const out = runner(['backtest', '--config', 'run.yaml', '--no-journal', '--no-report']);
    const row = out.split('\n').find((l) => l.startsWith('ma-crossover'));
    expect(row, out).toBeDefined();
    expect(Number(row!.split(/\s+/)[1])).toBeGreaterThan(0);
  });

  it('a minor changeset for one plugin releases only that plugin, and npm update brings it in', async () => {
    const before = Object.fromEntries(await Promise.all(publicPackages().map(async (p) => [p.name, Object.keys((await registry.packument(p.name))!.versions)] as const)));
    const current = released(join(repo, 'plugins/strategy-ma-crossover'));
    writeFileSync(join(copy, '.changeset', 'release-test-minor.md'), `---\n"${MA}": minor\n---\n\nThe release test's minor change.\n`);
    changeset(['version']);
    const next = version(join(copy, 'plugins/strategy-ma-crossover'));
    expect(next).toBe(current.replace(/^(\d+)\.(\d+)\.\d+$/, (_, major: string, minor: string) => `${major}.${Number(minor) + 1}.0`));
    changeset(['publish']);
    for (const [name, versions] of Object.entries(before)) {
      expect(Object.keys((await registry.packument(name))!.versions), name).toEqual(name === MA ? [...versions, next] : versions);
    }
    npm(['update', MA], project);
    const list = JSON.parse(runner(['plugins', 'list', '--json', '--no-cache'])) as { entries: { id: string; version: string }[] };
    expect(list.entries.find((e) => e.id === 'ma-crossover')?.version).toBe(next);
    expect(list.entries.find((e) => e.id === 'data-synthetic')?.version).toBe(released(join(repo, 'plugins/data-synthetic')));
  });

  it('a plugin that needs a future plugin API installs, is listed as incompatible with the fix, and the run goes on without it', () => {
    const fixture = join(work, 'future-fixture');
    cpSync(join(repo, 'apps/runner/test/fixtures/strategy-future-api'), fixture, { recursive: true });
    npm(['publish'], fixture);
    // plugin-api is not a direct dependency of the project, so npm installs the plugin and only warns about its peer.
    const install = spawnSync('npm', ['install', 'fixture-strategy-future-api', '--no-audit', '--no-fund'], { cwd: project, env, encoding: 'utf8' });
    expect(install.status, install.stderr).toBe(0);
    expect(install.stderr).toContain('ERESOLVE overriding peer dependency');
    expect(version(join(project, 'node_modules/@trading-orchestrator/plugin-api'))).toBe(released(join(repo, 'packages/plugin-api')));
    const out = runner(['plugins', 'list', '--no-cache']);
    expect(out).toMatch(/^fixture-future\s+strategy\s+3\.0\.0\s+fixture-strategy-future-api\s+incompatible\s+needs plugin API \^2\.0\.0, this host provides \d+\.\d+\.\d+$/m);
    expect(out).toContain('fix: upgrade the host (npm install @trading-orchestrator/runner@latest) to one whose plugin API satisfies ^2.0.0');
    expect(runner(['backtest', '--config', 'run.yaml', '--no-journal', '--no-report'])).toMatch(/^ma-crossover\s+[1-9]\d*\s/m);
  });

  it('a plugin scaffolded with npm create builds, passes its tests, publishes, installs and trades in the runner', () => {
    const authoring = join(work, 'authoring');
    mkdirSync(authoring);
    run('npm', ['create', '--yes', '--loglevel=error', '@trading-orchestrator/plugin@latest', '@e2e/strategy-streak', '--', '--kind', 'strategy'], authoring);
    const plugin = join(authoring, 'strategy-streak');
    npm(['install'], plugin);
    npm(['run', 'build'], plugin);
    npm(['test'], plugin);
    npm(['publish'], plugin);
    npm(['install', '@e2e/strategy-streak'], project);
    writeFileSync(join(project, 'streak.yaml'), RUN_CONFIG.replace('plugin: ma-crossover\n    config: { fast: 5, slow: 20 }', 'plugin: strategy-streak\n    config: { streak: 3 }'));
    const out = runner(['backtest', '--config', 'streak.yaml', '--no-journal', '--no-report']);
    expect(out).toMatch(/^strategy-streak\s+[1-9]\d*\s/m);
  });
});
