import { PLUGIN_API_VERSION } from '@trading-orchestrator/plugin-api';
import { RUNNER_VERSION } from './version.js';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
    expect(lines[0]).toBe(`Plugins for ${dir} (host plugin API ${PLUGIN_API_VERSION}): 2 found, 1 usable`);
    expect(lines[2]).toMatch(/^ID\s+KIND\s+VERSION\s+PACKAGE\s+STATUS\s+REASON$/);
    expect(lines[3]).toMatch(/^fixture-future\s+strategy\s+3\.0\.0\s+fixture-strategy-future-api\s+incompatible\s+needs plugin API \^2\.0\.0, this host provides \d+\.\d+\.\d+$/);
    expect(lines[3]!.endsWith(`this host provides ${PLUGIN_API_VERSION}`)).toBe(true);
    expect(lines[4]).toMatch(/^fixture-momentum\s+strategy\s+1\.0\.0\s+fixture-strategy-momentum\s+compatible$/);
    expect(out).toContain('    fix: upgrade the host (npm install @trading-orchestrator/runner@latest)');
  });

  it('explains how to get plugins when there are none', async () => {
    const { code, out } = await cli('plugins', 'list', '--no-cache');
    expect(code).toBe(0);
    expect(out).toContain('0 found, 0 usable');
    expect(out).toContain('No plugins found. Install plugin packages with npm');
  });

  it('reports search problems with their fix', async () => {
    const { out } = await cli('plugins', 'list', '--plugin-path', 'missing-plugin', '--no-cache');
    expect(out).toContain(`  error: ${join(dir, 'missing-plugin')}: plugin path does not exist\n    fix: correct or remove it in the config (pluginPaths)`);
  });

  it('writes the discovery cache into node_modules/.cache', async () => {
    await cli('plugins', 'list', '--plugin-dir', 'plugins', '--json');
    const { out } = await cli('plugins', 'list', '--plugin-dir', 'plugins', '--json');
    expect((JSON.parse(out) as { info: { cache: string } }).info.cache).toBe('hit');
  });
});

describe('trading-orchestrator backtest (the default job)', () => {
  it('backtests the reference strategies with both risk plugins on real SPY and BTC/USD days, against buy and hold, and prints a summary', async () => {
    const runnerDir = new URL('..', import.meta.url).pathname;
    const { code, out, err } = await cli('--project', runnerDir, '--no-cache', '--no-journal');
    expect(err.split('\n').filter((l) => l !== '' && !l.startsWith('progress: '))).toEqual([]);
    expect(code).toBe(0);
    const lines = out.split('\n');
    expect(lines[1]).toMatch(/^Backtest: SPY, BTC\/USD 1d from 2015-06-01 to 2019-10-17 \(data-file\), 2691 bars in \d+\.\d\d s \(\d+ bars\/s\)$/);
    expect(lines[3]).toMatch(/^STRATEGY\s+TRADES\s+WIN\s+RETURN\s+SHARPE\s+MAX DD\s+PF\s+DENIED\s+EQUITY$/);
    for (const id of ['ma-crossover', 'rsi-mean-reversion', 'bollinger-reversion', 'account']) expect(out).toMatch(new RegExp(`^${id}\\s+\\d+\\s+\\d+\\.\\d\\d%`, 'm'));
    // Holding both markets from the end of the warm-up on: SPY about 1.4 times over, bitcoin about 16 times over.
    expect(out).toMatch(/^buy & hold\s+-\s+-\s+837\.54%\s+1\.14\s+81\.36%\s+-\s+-\s+937541\.13$/m);
    expect(out).toContain('buy and hold: SPY, BTC/USD in equal parts, bought at the first price after the run\'s warm-up, no fees');
    expect(out).toMatch(/^cash \d+\.\d\d, fees \d+\.\d\d, realised -?\d+\.\d\d, unrealised -?\d+\.\d\d, open positions \d+$/m);
    expect(out).toContain(`report: ${join(dir, 'trading-orchestrator-report.html')}`);
    const html = readFileSync(join(dir, 'trading-orchestrator-report.html'), 'utf8');
    // Equity, drawdown, and each symbol's prices with its trades marked.
    expect(html.match(/<svg class="chart"/g)).toHaveLength(4);
    expect(html).toMatch(/<h3>SPY<\/h3><svg class="chart" role="img" aria-label="SPY close with trades"/);
    expect(html).toContain('<table id="risk"><tr><th>risk plugin</th>');
    expect(html).toContain('<th>rsi-mean-reversion</th>');
  });

  it('says which plugins to install when the reference plugins are missing, and exits 1', async () => {
    const { code, err } = await cli('backtest', '--no-cache');
    expect(code).toBe(1);
    expect(err).toBe(
      'error: the default backtest needs plugins that are not installed: data-file, ma-crossover, rsi-mean-reversion, bollinger-reversion, risk-guards, risk-var\n' +
        '  fix: npm install @trading-orchestrator/data-file @trading-orchestrator/strategy-ma-crossover @trading-orchestrator/strategy-rsi @trading-orchestrator/strategy-bollinger @trading-orchestrator/risk-guards @trading-orchestrator/risk-var\n',
    );
  });

  it('gives the same result twice', async () => {
    const runnerDir = new URL('..', import.meta.url).pathname;
    const a = await cli('--project', runnerDir, '--no-cache', '--json', '--no-journal');
    const b = await cli('--project', runnerDir, '--no-cache', '--json', '--no-journal');
    expect(b.out).toBe(a.out);
    expect((JSON.parse(a.out) as { bars: number }).bars).toBe(2_691);
  });
});

describe('command line errors', () => {
  it('an unknown command suggests the nearest one and exits 2', async () => {
    const { code, err } = await cli('plugin', 'lst');
    expect(code).toBe(2);
    expect(err.split('\n')[0]).toBe('error: unknown command "plugin lst". Did you mean "plugins list"?');
  });

  it('an unknown option exits 2, naming the nearest option or where the options are listed', async () => {
    expect(await cli('--verbose')).toEqual({ code: 2, out: '', err: 'error: unknown option --verbose (trading-orchestrator --help lists the options)\n  (trading-orchestrator --help lists the commands and options)\n' });
    expect((await cli('backtest', '--confg', 'run.yaml')).err).toMatch(/^error: unknown option --confg \(did you mean --config\?\)\n/);
    expect((await cli('backtest', '--jurnal=runs.db')).err).toMatch(/^error: unknown option --jurnal \(did you mean --journal\?\)\n/);
  });

  it('an option without its value, a value given to a switch, or an option the command does not take, is named with the fix', async () => {
    expect((await cli('backtest', '--config')).err).toMatch(/^error: --config needs a value, e.g. --config run.yaml\n/);
    expect((await cli('backtest', '--config', '--no-journal')).err).toMatch(/^error: --config needs a value, e.g. --config run.yaml\n/);
    expect((await cli('backtest', '--no-cache=yes')).err).toMatch(/^error: --no-cache takes no value; write --no-cache alone \(or leave it out\)\n/);
    const bars = await cli('backtest', '--bars', '50');
    expect(bars.code).toBe(2);
    expect(bars.err).toMatch(/^error: --bars does not apply to backtest; it is for paper, live and run \(a backtest runs from start to end in its config; shorten those to run fewer bars\)\n/);
    expect((await cli('init', '--journal', 'x.db')).err).toMatch(/^error: --journal does not apply to init; it is for backtest, paper, live, run, optimize, journal list, journal export and compare\n/);
  });

  it('--version names the runner and plugin-API versions', async () => {
    expect((await cli('--version')).out).toBe(`trading-orchestrator ${RUNNER_VERSION} (plugin API ${PLUGIN_API_VERSION})\n`);
  });
});
