import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedDataDir } from '@trading-orchestrator/plugin-testkit';
import { discoverPlugins } from '@trading-orchestrator/registry';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { prepareRun } from '../src/commands/run-backtest.js';
import { runConfigSchema } from '../src/config/run-config.js';
import { main } from '../src/main.js';

const runnerDir = new URL('..', import.meta.url).pathname;
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'to-config-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function backtest(file: string, text: string, env: Record<string, string> = {}) {
  writeFileSync(join(dir, file), text);
  let out = '';
  let err = '';
  const code = await main(['backtest', '--config', file, '--project', runnerDir, '--no-cache', '--no-journal'], {
    cwd: dir,
    env,
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
  });
  return { code, out, err };
}

const spyRun = `
# SPY daily, 2005–2020, from the shared data
data:
  plugin: data-file
  config:
    baseDir: \${DATA_DIR}
    files:
      - { path: ohlcv/equities/SPY_D.csv, symbol: SPY, timeframe: 1d }
symbols: [SPY]
timeframe: 1d
start: 2005-01-01
end: 2020-08-29
warmupBars: 200
periodsPerYear: 252
capital: \${CAPITAL:-50000}
strategies:
  - plugin: ma-crossover
    allocation: 0.5
    config: { fast: 50, slow: 200 }
  - plugin: rsi-mean-reversion
    id: rsi-daily
    sizing: { method: fixed-fraction, fraction: 0.9 }
  - plugin: bollinger-reversion
    shadow: true
risk:
  - plugin: risk-guards
  - plugin: risk-var
    config: { minHistory: 60, maxVarPct: 0.05, maxPositionWeight: 1 }
broker:
  config: { feeBps: 5 }
`;

describe('backtest --config', () => {
  it('runs the YAML run on real SPY data with env interpolation, and prints every strategy', async () => {
    const { code, out, err } = await backtest('spy.yaml', spyRun, { DATA_DIR: sharedDataDir() });
    expect(err.split('\n').filter((l) => l !== '' && !l.startsWith('progress: '))).toEqual([]);
    expect(code).toBe(0);
    expect(out.split('\n')[1]).toMatch(/^Backtest: SPY 1d from 2005-01-01 to 2020-08-29 \(data-file\), 3942 bars in /);
    expect(out).toMatch(/^ma-crossover\s+\d+\s/m);
    expect(out).toMatch(/^rsi-daily\s+\d+\s/m);
    expect(out).toMatch(/^bollinger-reversion \(shadow\)\s+0\s/m);
    expect(out).toMatch(/^account\s+\d+\s+\d+\.\d\d%/m);
  });

  it('reads JSON too, and the result does not depend on the format', async () => {
    const { parse } = await import('yaml');
    const asJson = JSON.stringify(parse(spyRun.replaceAll('${DATA_DIR}', sharedDataDir()).replace('${CAPITAL:-50000}', '50000')));
    const json = await backtest('spy.json', asJson);
    const yaml = await backtest('spy.yaml', spyRun, { DATA_DIR: sharedDataDir() });
    expect(json.out.split('\n').slice(3).join('\n')).toBe(yaml.out.split('\n').slice(3).join('\n'));
  });
});

describe('bad run configs: every problem by path, with a fix, before anything runs', () => {
  it('unknown and wrong-kind plugin ids name the nearest installed one', async () => {
    const text = spyRun.replace('plugin: ma-crossover', 'plugin: ma-crosover').replace('plugin: risk-guards', 'plugin: data-file');
    const { code, err } = await backtest('run.yaml', text, { DATA_DIR: sharedDataDir() });
    expect(code).toBe(1);
    expect(err).toContain('names plugins that cannot be used (2 problems)');
    expect(err).toContain('  - strategies[0].plugin: no installed plugin "ma-crosover" (did you mean ma-crossover?); installed strategy plugins: bollinger-reversion, ma-crossover, rsi-mean-reversion');
    expect(err).toContain('  - risk[0].plugin: "data-file" is a data plugin, not a risk plugin');
    expect(err).toContain('fix: install the missing plugin packages');
  });

  it('field errors are listed together, by their path in the file', async () => {
    const text = spyRun.replace('timeframe: 1d\nstart', 'timeframe: 2d\nstart').replace('end: 2020-08-29', 'end: 2004-01-01').replace('allocation: 0.5', 'allocation: 1.5');
    const { code, err } = await backtest('run.yaml', text, { DATA_DIR: sharedDataDir() });
    expect(code).toBe(1);
    const lines = err.split('\n').filter((l) => l.startsWith('  - '));
    expect(lines.map((l) => l.split(':')[0])).toEqual(['  - timeframe', '  - strategies[0].allocation']);
    const text2 = spyRun.replace('end: 2020-08-29', 'end: 2004-01-01');
    expect((await backtest('run.yaml', text2, { DATA_DIR: sharedDataDir() })).err).toContain('  - end: end (2004-01-01) must be after start (2005-01-01)');
  });

  it('plugin config errors point into the plugin’s config block', async () => {
    const text = spyRun.replace('config: { fast: 50, slow: 200 }', 'config: { fast: 200, slow: 50 }').replace('maxVarPct: 0.05', 'maxVarPct: 5');
    const { code, err } = await backtest('run.yaml', text, { DATA_DIR: sharedDataDir() });
    expect(code).toBe(1);
    expect(err).toContain('  - strategies[0].config.slow: slow (50) must be greater than fast (200)');
    expect(err).toContain('  - strategies[0].config.fast: slow (50) must be greater than fast (200)');
    expect(err).toMatch(/ {2}- risk\[1\]\.config\.maxVarPct: /);
  });

  it('a plugin entry\'s time limits are checked by path and become its hook limits', async () => {
    const bad = spyRun.replace('  plugin: data-file\n', '  plugin: data-file\n  timeLimits: { start: { softMs: 5000, hardMs: 100 }, stop: { softMs: 0, hardMs: 10 } }\n');
    const { code, err } = await backtest('run.yaml', bad, { DATA_DIR: sharedDataDir() });
    expect(code).toBe(1);
    expect(err).toContain('  - data.timeLimits.start: softMs must not be more than hardMs');
    expect(err).toMatch(/ {2}- data\.timeLimits\.stop\.softMs: /);
    const config = runConfigSchema.parse({
      ...parse(spyRun.replace('${DATA_DIR}', sharedDataDir()).replace('${CAPITAL:-50000}', '50000')),
      data: { plugin: 'data-file', config: { baseDir: sharedDataDir(), files: [{ path: 'ohlcv/equities/SPY_D.csv', symbol: 'SPY', timeframe: '1d' }] }, timeLimits: { start: { softMs: 10_000, hardMs: 60_000 } } },
      risk: [{ plugin: 'risk-guards', timeLimits: { checkOrder: { softMs: 20, hardMs: 100 } } }],
    });
    const catalog = await discoverPlugins({ projectDir: runnerDir, runnerDir, cacheFile: false });
    const { manager } = await prepareRun(config, catalog, 'run.yaml');
    try {
      expect(manager.get('data:data-file')!.guarded.limits).toEqual({ start: { softMs: 10_000, hardMs: 60_000 } });
      expect(manager.get('risk-guards')!.guarded.limits).toEqual({ checkOrder: { softMs: 20, hardMs: 100 } });
      expect(manager.get('ma-crossover')!.guarded.limits).toEqual({});
    } finally {
      await manager.shutdown();
    }
  });

  it('an unset environment variable and a YAML syntax error are named', async () => {
    const env = await backtest('run.yaml', spyRun);
    expect(env.err).toContain('  - data.config.baseDir: environment variable DATA_DIR is not set (write ${DATA_DIR:-default} for a default)');
    const syntax = await backtest('run.yaml', 'data:\n  plugin: [unclosed\nsymbols: [SPY]\n');
    expect(syntax.code).toBe(1);
    expect(syntax.err).toMatch(/ {2}- line \d+, column \d+: /);
    const missing = await main(['backtest', '--config', 'nope.yaml', '--no-cache'], { cwd: dir, env: {}, stdout: { write: () => true }, stderr: { write: (t: string) => (env.err = t) } });
    expect(missing).toBe(1);
    expect(env.err).toContain('  - (root): cannot read the file (ENOENT)');
  });
});
