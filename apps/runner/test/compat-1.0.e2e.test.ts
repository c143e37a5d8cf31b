import { mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BacktestResult } from '@trading-orchestrator/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOST_API_VERSION, HOST_PACKAGES, NPM_OFFLINE, pnpm, repo, run, tarInstalledPackage, thirdPartyPackages } from './scratch-install.js';

/**
 * Plugins built and packed against plugin API 1.0.0 (the reference plugins as they were published, kept as
 * tarballs in fixtures/published-1.0) installed with npm next to today's host packages, in a project outside the
 * repository: they must load and trade as they did.
 */
const published = fileURLToPath(new URL('./fixtures/published-1.0/', import.meta.url));
const PLUGINS_1_0 = ['strategy-ma-crossover', 'strategy-rsi', 'strategy-bollinger', 'risk-guards', 'risk-var', 'data-synthetic', 'market-data'];
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const pluginsDir = join(repo, 'plugins');

let work: string;
let project: string;
const installed = () => join(project, 'node_modules', '.bin', 'trading-orchestrator');

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'to-compat-'));
  const tarballs = join(work, 'tarballs');
  project = join(work, 'project');
  mkdirSync(tarballs);
  for (const dir of HOST_PACKAGES) run(pnpm, ['pack', '--pack-destination', tarballs], join(repo, dir));
  for (const dir of thirdPartyPackages()) tarInstalledPackage(dir, tarballs, work);
  const old = readdirSync(published).filter((f) => PLUGINS_1_0.some((p) => f === `trading-orchestrator-${p}-1.0.0.tgz`));
  expect(old).toHaveLength(PLUGINS_1_0.length);
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'compat-project', version: '0.0.0', private: true }));
  const files = [...readdirSync(tarballs).map((f) => join(tarballs, f)), ...old.map((f) => join(published, f))];
  run('npm', ['install', ...NPM_OFFLINE, ...files], project);
}, 240_000);

afterAll(() => {
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

describe('reference plugins published at plugin API 1.0.0, on today\'s host', () => {
  it('are listed as compatible, at their 1.0.0 versions', () => {
    const out = run(installed(), ['plugins', 'list', '--json', '--no-cache'], project);
    const entries = (JSON.parse(out) as { entries: { id: string; version: string; status: string }[] }).entries;
    const byId = new Map(entries.map((e) => [e.id, e]));
    for (const id of ['ma-crossover', 'rsi-mean-reversion', 'bollinger-reversion', 'risk-guards', 'risk-var', 'data-synthetic']) {
      expect(byId.get(id), id).toMatchObject({ version: '1.0.0', status: 'compatible' });
    }
    expect(HOST_API_VERSION).not.toBe('1.0.0');
  });

  it('run the 1.0 default job trade for trade as today\'s reference plugins do, given the settings whose defaults changed since', () => {
    // The job 1.0 ran by default, on synthetic data. risk-guards' position cap and risk-var's action on a limit are
    // written out: their defaults changed in 2.0 (no cap beyond the account; resize instead of deny).
    writeFileSync(
      join(project, 'default-1.0.yaml'),
      `data: { plugin: data-synthetic }
symbols: [ALPHA, BETA, GAMMA]
timeframe: 1h
start: 2020-01-01
end: 2020-09-27
warmupBars: 200
strategies:
  - plugin: ma-crossover
    config: { fast: 20, slow: 50 }
    sizing: { method: fixed-fraction, fraction: 0.5 }
  - plugin: rsi-mean-reversion
    sizing: { method: volatility-target, riskFraction: 0.01, maxPositionFraction: 0.6 }
  - plugin: bollinger-reversion
    sizing: { method: strategy-hint, defaultFraction: 0.2 }
risk:
  - plugin: risk-guards
    config: { exposure: { maxPositionPct: 0.25 } }
  - plugin: risk-var
    config: { minHistory: 100, maxVarPct: 0.03, maxPositionWeight: 0.4, onLimit: deny }
broker:
  config: { feeBps: 10, slippage: { bps: 2 } }
`,
    );
    const args = ['backtest', '--config', join(project, 'default-1.0.yaml'), '--no-journal', '--no-report', '--json', '--no-cache'];
    const old = JSON.parse(run(installed(), args, project)) as BacktestResult;
    const today = JSON.parse(run(process.execPath, [cli, ...args, '--plugin-dir', pluginsDir], repo)) as BacktestResult;
    expect(old.bars).toBe(today.bars);
    expect(old.strategies.map((s) => [s.instanceId, s.tradeCount, s.signals, s.finalEquity])).toEqual(today.strategies.map((s) => [s.instanceId, s.tradeCount, s.signals, s.finalEquity]));
    expect(old.strategies.map((s) => s.trades)).toEqual(today.strategies.map((s) => s.trades));
    expect(old.portfolio).toEqual(today.portfolio);
    expect(old.strategies.reduce((n, s) => n + s.tradeCount, 0)).toBeGreaterThan(100);
  });

  it('a 1.0 strategy keeps its plain signals: the long-short MA crossover still closes on the opposite cross, never reverses', () => {
    writeFileSync(
      join(project, 'long-short.yaml'),
      `data: { plugin: data-synthetic }
symbols: [ALPHA]
timeframe: 1h
start: 2020-01-01
end: 2020-06-01
account: { type: margin, leverage: 1 }
allowShort: true
strategies:
  - plugin: ma-crossover
    config: { fast: 10, slow: 30, mode: long-short }
`,
    );
    const result = JSON.parse(run(installed(), ['backtest', '--config', 'long-short.yaml', '--no-journal', '--no-report', '--json', '--no-cache'], project)) as BacktestResult;
    const trades = result.strategies[0]!.trades;
    expect(trades.length).toBeGreaterThan(10);
    // Version 1.0 sells without a target: a sell while long closes it, so a run holds only the side of its first cross.
    expect(trades.every((t) => t.exitReason !== 'reversal')).toBe(true);
    expect(new Set(trades.map((t) => t.direction)).size).toBe(1);
  });
});
