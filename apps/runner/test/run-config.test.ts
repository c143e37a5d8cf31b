import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { discoverPlugins } from '@trading-orchestrator/registry';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { prepareRun } from '../src/commands/run-backtest.js';
import { runConfigSchema } from '../src/config/run-config.js';
import { main } from '../src/main.js';
import { testDataDir } from '@trading-orchestrator/testdata';

const runnerDir = new URL('..', import.meta.url).pathname;
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'to-config-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function backtest(file: string, text: string, env: Record<string, string> = {}, args: readonly string[] = ['--no-journal']) {
  writeFileSync(join(dir, file), text);
  let out = '';
  let err = '';
  const code = await main(['backtest', '--config', file, '--project', runnerDir, '--no-cache', ...args], {
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
    const { code, out, err } = await backtest('spy.yaml', spyRun, { DATA_DIR: testDataDir() });
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
    const asJson = JSON.stringify(parse(spyRun.replaceAll('${DATA_DIR}', testDataDir()).replace('${CAPITAL:-50000}', '50000')));
    const json = await backtest('spy.json', asJson);
    const yaml = await backtest('spy.yaml', spyRun, { DATA_DIR: testDataDir() });
    expect(json.out.split('\n').slice(3).join('\n')).toBe(yaml.out.split('\n').slice(3).join('\n'));
  });
});

describe('backtest --config on real BTC data', () => {
  it('runs hourly Coinbase BTC/USD with every reference plugin, one strategy on four-hour bars built from the hours', async () => {
    const btcRun = `
data:
  plugin: data-file
  config:
    baseDir: \${DATA_DIR}
    files: [{ path: ohlcv/crypto/Coinbase_BTCUSD_1h.csv, symbol: BTC/USD, timeframe: 1h }]
symbols: [BTC/USD]
timeframe: 1h
start: 2018-01-01
end: 2019-10-01
warmupBars: 400
currency: USD
strategies:
  - plugin: ma-crossover
    timeframes: [4h]
    config: { fast: 12, slow: 48 }
  - plugin: rsi-mean-reversion
    sizing: { method: volatility-target, riskFraction: 0.01 }
  - plugin: bollinger-reversion
    timeframes: [1h, 4h]
risk:
  - plugin: risk-guards
  - plugin: risk-var
    config: { minHistory: 100, maxVarPct: 0.05, maxPositionWeight: 1 }
broker:
  config: { feeBps: 10, slippage: { rangeShare: 0.1 } }
`;
    const { code, out, err } = await backtest('btc.yaml', btcRun, { DATA_DIR: testDataDir() });
    expect(err.split('\n').filter((l) => l !== '' && !l.startsWith('progress: '))).toEqual([]);
    expect(code).toBe(0);
    expect(out.split('\n')[1]).toMatch(/^Backtest: BTC\/USD 1h from 2018-01-01 to 2019-10-01 \(data-file\), 15312 bars in /);
    for (const id of ['ma-crossover', 'rsi-mean-reversion', 'bollinger-reversion']) expect(out).toMatch(new RegExp(`^${id}\\s+[1-9]\\d*\\s`, 'm'));
  });
});

describe('a strategy on weekly bars of a daily run', () => {
  it('trades on weeks built from the days, and its orders fill at a day\'s open after the week closed', async () => {
    const weekly = spyRun.replace('    config: { fast: 50, slow: 200 }', '    timeframes: [1w]\n    config: { fast: 10, slow: 40 }');
    const file = join(dir, 'weekly.yaml');
    writeFileSync(file, weekly);
    let out = '';
    const code = await main(['backtest', '--config', file, '--project', runnerDir, '--no-cache', '--no-journal', '--no-report', '--json'], { cwd: dir, env: { DATA_DIR: testDataDir() }, stdout: { write: (t: string) => (out += t) }, stderr: { write: () => true } });
    expect(code).toBe(0);
    const result = JSON.parse(out) as { strategies: { instanceId: string; trades: { entryTime: number; exitTime: number }[] }[] };
    const trades = result.strategies.find((s) => s.instanceId === 'ma-crossover')!.trades;
    expect(trades.length).toBeGreaterThan(5);
    const days = new Set(readFileSync(join(testDataDir(), 'ohlcv/equities/SPY_D.csv'), 'utf8').split('\n').slice(1).filter(Boolean).map((l) => Date.parse(`${l.split(',')[1]}T00:00:00Z`)));
    for (const t of trades) {
      // A week closes on Monday 00:00 UTC; its signal fills on the next trading day, a Monday unless it was a holiday.
      expect(days.has(t.entryTime), new Date(t.entryTime).toISOString()).toBe(true);
      const monday = Date.UTC(1970, 0, 5) + Math.floor((t.entryTime - Date.UTC(1970, 0, 5)) / (7 * 86_400_000)) * 7 * 86_400_000;
      const tradingDaysBefore = [...days].filter((d) => d >= monday && d < t.entryTime);
      expect(tradingDaysBefore, new Date(t.entryTime).toISOString()).toEqual([]);
    }
  });
});

describe('the journal and the report named in the run file', () => {
  it('are written where the file says, relative to it; the command line overrides them', async () => {
    mkdirSync(join(dir, 'runs', 'out'), { recursive: true });
    const text = `${spyRun}journal: out/spy.db\nreport: out/spy.html\n`;
    const named = await backtest(join('runs', 'spy.yaml'), text, { DATA_DIR: testDataDir() }, []);
    expect(named.code).toBe(0);
    expect(named.out).toContain(`report: ${join(dir, 'runs', 'out', 'spy.html')}`);
    expect(named.out).toContain(`journal: ${join(dir, 'runs', 'out', 'spy.db')} (run 1)`);
    expect(existsSync(join(dir, 'runs', 'out', 'spy.db'))).toBe(true);
    const overridden = await backtest(join('runs', 'spy.yaml'), text, { DATA_DIR: testDataDir() }, ['--report', 'here.html', '--no-journal']);
    expect(overridden.out).toContain(`report: ${join(dir, 'here.html')}`);
    expect(overridden.out).toContain('journal: none (--no-journal)');
    const none = await backtest('none.yaml', `${spyRun}journal: false\nreport: false\n`, { DATA_DIR: testDataDir() }, []);
    expect(none.out).not.toContain('report:');
    expect(none.out).toContain('journal: none (journal: false in none.yaml)');
  });

  it('a report whose folder does not exist stops the run before it starts, with the fix', async () => {
    const { code, out, err } = await backtest('run.yaml', `${spyRun}report: missing/report.html\n`, { DATA_DIR: testDataDir() });
    expect(code).toBe(1);
    expect(out).not.toContain('Backtest:');
    expect(err).toContain(`error: the report would be written to ${join(dir, 'missing', 'report.html')}, but the folder ${join(dir, 'missing')} does not exist`);
    expect(err).toContain('fix: create the folder or make it writable, name another file (--report <file>, or report: in run.yaml), or write none (--no-report)');
  });
});

describe('defaults that work together', () => {
  it('two strategies on SPY, each at 0.95 of its half, with risk-var at its defaults: they trade, and the terminal says what the risk plugin cut and which setting would change it', async () => {
    const text = `
data:
  plugin: data-file
  config: { baseDir: "\${DATA_DIR}", files: [{ path: ohlcv/equities/SPY_D.csv, symbol: SPY, timeframe: 1d }] }
symbols: [SPY]
timeframe: 1d
start: 2005-01-01
end: 2020-08-28
warmupBars: 200
periodsPerYear: 252
strategies:
  - plugin: ma-crossover
    config: { fast: 50, slow: 200 }
    sizing: { method: fixed-fraction, fraction: 0.95 }
  - plugin: rsi-mean-reversion
    sizing: { method: fixed-fraction, fraction: 0.95 }
risk:
  - plugin: risk-var
`;
    const { code, out } = await backtest('two.yaml', text, { DATA_DIR: testDataDir() });
    expect(code).toBe(0);
    for (const id of ['ma-crossover', 'rsi-mean-reversion']) expect(Number(new RegExp(`^${id}\\s+(\\d+)`, 'm').exec(out)?.[1])).toBeGreaterThan(5);
    expect(out).not.toContain('POSITION_WEIGHT_EXCEEDED');
    expect(out).toMatch(/^risk plugins changed orders \(.*\d+ resized\):$/m);
    expect(out).toMatch(/^ {2}risk-var resized \d+ × VAR_LIMIT_RESIZED: e\.g\. portfolio VaR \(99%, 1 bar, historical\) after the trade would be .*; the limit is risk\[0\]\.config\.maxVarPct$/m);
    expect(out).toMatch(/^buy & hold\s+-\s+-\s+\d+\.\d\d%/m);
  });

  it("a strategy's default sizing is its equity in equal parts across its symbols", async () => {
    const text = `
data: { plugin: data-synthetic }
symbols: [ALPHA, BETA]
timeframe: 1h
start: 2020-01-01
end: 2020-02-01
strategies:
  - plugin: ma-crossover
    config: { fast: 5, slow: 20 }
`;
    const { code, out } = await backtest('sizing.yaml', text, {}, ['--no-journal', '--json', '--no-report']);
    expect(code).toBe(0);
    const result = JSON.parse(out.slice(out.indexOf('{'))) as { strategies: { trades: { fees: number; pnl: number }[] }[] };
    const [first] = result.strategies[0]!.trades;
    // Its first trade bought about half of 100,000 and sold it again: a 10 bps fee on each side comes to about 100.
    expect(first!.fees).toBeGreaterThan(90);
    expect(first!.fees).toBeLessThan(110);
  });
});

describe('bad run configs: every problem by path, with a fix, before anything runs', () => {
  it('unknown and wrong-kind plugin ids name the nearest installed one', async () => {
    const text = spyRun.replace('plugin: ma-crossover', 'plugin: ma-crosover').replace('plugin: risk-guards', 'plugin: data-file');
    const { code, err } = await backtest('run.yaml', text, { DATA_DIR: testDataDir() });
    expect(code).toBe(1);
    expect(err).toContain('names plugins that cannot be used (2 problems)');
    expect(err).toContain('  - strategies[0].plugin: no installed plugin "ma-crosover" (did you mean ma-crossover?); installed strategy plugins: bollinger-reversion, ma-crossover, rsi-mean-reversion');
    expect(err).toContain('  - risk[0].plugin: "data-file" is a data plugin, not a risk plugin');
    expect(err).toContain('fix: install the missing plugin packages');
  });

  it('field errors are listed together, by their path in the file', async () => {
    const text = spyRun.replace('timeframe: 1d\nstart', 'timeframe: 2d\nstart').replace('end: 2020-08-29', 'end: 2004-01-01').replace('allocation: 0.5', 'allocation: 1.5');
    const { code, err } = await backtest('run.yaml', text, { DATA_DIR: testDataDir() });
    expect(code).toBe(1);
    const lines = err.split('\n').filter((l) => l.startsWith('  - '));
    expect(lines.map((l) => l.split(':')[0])).toEqual(['  - timeframe', '  - strategies[0].allocation']);
    const text2 = spyRun.replace('end: 2020-08-29', 'end: 2004-01-01');
    expect((await backtest('run.yaml', text2, { DATA_DIR: testDataDir() })).err).toContain('  - end: end (2004-01-01) must be after start (2005-01-01)');
  });

  it("a plugin's manifest capabilities are checked against the run: a data plugin without a live feed in a paper session, a strategy on a timeframe it does not work on", async () => {
    writeFileSync(join(dir, 'paper.yaml'), 'mode: paper\ndata: { plugin: data-synthetic }\nsymbols: [ALPHA]\ntimeframe: 1m\nwarmupBars: 10\nstrategies:\n  - plugin: ma-crossover\n');
    let err = '';
    const code = await main(['paper', '--config', 'paper.yaml', '--project', runnerDir, '--no-cache', '--no-journal'], { cwd: dir, env: {}, stdout: { write: () => true }, stderr: { write: (t: string) => void (err += t) } });
    expect(code).toBe(1);
    expect(err).toContain('  - data.plugin: data-synthetic serves historical data, not live: a paper session needs live bars (and history to warm up on); a data plugin with a live feed is e.g. data-binance (its manifest\'s capabilities)');
    const momentum = join(runnerDir, 'test', 'fixtures', 'strategy-momentum');
    const text = 'data: { plugin: data-synthetic }\nsymbols: [ALPHA]\ntimeframe: 5m\nstart: 2020-01-01\nend: 2020-01-02\nstrategies:\n  - plugin: fixture-momentum\n    timeframes: [5m, 1h]\n';
    const wrong = await backtest('momentum.yaml', text, {}, ['--no-journal', '--plugin-path', momentum]);
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain('  - strategies[0].plugin: fixture-momentum works on 1h, 1d bars, not 5m (its manifest\'s capabilities)');
  });

  it('one round reports everything: a misspelt top-level setting, a nested one, a plugin config key and an unknown plugin, in the order of the file', async () => {
    const text = spyRun
      .replace('capital: ${CAPITAL:-50000}', 'capitl: 50000')
      .replace('config: { fast: 50, slow: 200 }', 'config: { fsat: 50, slow: 200 }')
      .replace('sizing: { method: fixed-fraction, fraction: 0.9 }', 'sizing: { method: fixed-fraction, fracton: 0.9 }')
      .replace('plugin: bollinger-reversion', 'plugin: bollinger');
    const { code, err } = await backtest('run.yaml', text, { DATA_DIR: testDataDir() });
    expect(code).toBe(1);
    expect(err.split('\n').filter((l) => l.startsWith('  - '))).toEqual([
      '  - capitl: unknown setting "capitl" (did you mean "capital"?)',
      '  - strategies[0].config.fsat: unknown setting "fsat" (did you mean "fast"?)',
      '  - strategies[1].sizing.fracton: unknown setting "fracton" (did you mean "fraction"?)',
      '  - strategies[1].sizing.fraction: required, and not set (expected number)',
      '  - strategies[2].plugin: no installed plugin "bollinger" (did you mean bollinger-reversion?); installed strategy plugins: bollinger-reversion, ma-crossover, rsi-mean-reversion',
    ]);
  });

  it('a file that is not a run config says what it holds and where to start', async () => {
    const toml = await backtest('run.toml', 'capital = 100\n');
    expect(toml).toMatchObject({ code: 1, err: `error: ${join(dir, 'run.toml')} is not a YAML or JSON file\n  fix: write the run config as YAML (.yaml or .yml) or JSON (.json); \`trading-orchestrator init run.yaml\` writes a starter\n` });
    expect((await backtest('empty.yaml', '')).err).toContain('  - (root): a run config is a mapping of settings (data:, symbols:, strategies: ...), and this file holds nothing (the file is empty)');
    expect((await backtest('list.yaml', '- SPY\n- QQQ\n')).err).toContain('and this file holds a list');
    expect((await backtest('run.json', '{ "symbols": [SPY] }')).err).toMatch(/ {2}- \(root\): not valid JSON: /);
    mkdirSync(join(dir, 'folder.yaml'));
    expect((await main(['backtest', '--config', 'folder.yaml', '--no-cache'], { cwd: dir, env: {}, stdout: { write: () => true }, stderr: { write: (t: string) => void (toml.err = t) } }))).toBe(1);
    expect(toml.err).toContain(`error: ${join(dir, 'folder.yaml')} is a folder, not a run config`);
  });

  it('a YAML mistake is shown once, at its line, not as a cascade', async () => {
    const text = 'data: { plugin: data-file\nsymbols: [SPY]\ntimeframe: 1d\nstrategies:\n  - plugin: ma-crossover\n   config: { fast: 5 }\n  - plugin: rsi\n     sizing: x\n   - y\n';
    const { code, err } = await backtest('run.yaml', text);
    expect(code).toBe(1);
    const listed = err.split('\n').filter((l) => l.startsWith('  - '));
    expect(listed.length).toBeLessThanOrEqual(3);
    expect(listed[0]).toMatch(/^ {2}- line 2, column 1: .+[^:]$/);
    expect(err).toMatch(/fix: the file is not valid YAML: fix the first error listed/);
  });

  it('plugin config errors point into the plugin’s config block', async () => {
    const text = spyRun.replace('config: { fast: 50, slow: 200 }', 'config: { fast: 200, slow: 50 }').replace('maxVarPct: 0.05', 'maxVarPct: 5');
    const { code, err } = await backtest('run.yaml', text, { DATA_DIR: testDataDir() });
    expect(code).toBe(1);
    expect(err).toContain('  - strategies[0].config.slow: slow (50) must be greater than fast (200)');
    expect(err).toContain('  - strategies[0].config.fast: slow (50) must be greater than fast (200)');
    expect(err).toMatch(/ {2}- risk\[1\]\.config\.maxVarPct: /);
  });

  it('a plugin entry\'s time limits are checked by path and become its hook limits', async () => {
    const bad = spyRun.replace('  plugin: data-file\n', '  plugin: data-file\n  timeLimits: { start: { softMs: 5000, hardMs: 100 }, stop: { softMs: 0, hardMs: 10 } }\n');
    const { code, err } = await backtest('run.yaml', bad, { DATA_DIR: testDataDir() });
    expect(code).toBe(1);
    expect(err).toContain('  - data.timeLimits.start: softMs must not be more than hardMs');
    expect(err).toMatch(/ {2}- data\.timeLimits\.stop\.softMs: /);
    const config = runConfigSchema.parse({
      ...parse(spyRun.replace('${DATA_DIR}', testDataDir()).replace('${CAPITAL:-50000}', '50000')),
      data: [{ plugin: 'data-file', config: { baseDir: testDataDir(), files: [{ path: 'ohlcv/equities/SPY_D.csv', symbol: 'SPY', timeframe: '1d' }] }, timeLimits: { start: { softMs: 10_000, hardMs: 60_000 } } }],
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

  it('a misspelt setting is an error naming the setting it is nearest to, in the run and in a plugin\'s config', async () => {
    const text = spyRun.replace('warmupBars: 200', 'warmupbars: 200').replace('    allocation: 0.5', '    alocation: 0.5').replace('maxVarPct: 0.05', 'maxVarPCT: 0.05');
    const run = await backtest('run.yaml', text, { DATA_DIR: testDataDir() });
    expect(run.code).toBe(1);
    expect(run.err).toContain('  - warmupbars: unknown setting "warmupbars" (did you mean "warmupBars"?)');
    expect(run.err).toContain('  - strategies[0].alocation: unknown setting "alocation" (did you mean "allocation"?)');
    // Plugin configs are checked against each plugin's schema once the run's own fields are right.
    const plugin = await backtest('run.yaml', spyRun.replace('maxVarPct: 0.05', 'maxVarPCT: 0.05').replace('{ feeBps: 5 }', '{ feeBps: 5, slipage: { bps: 1 } }'), { DATA_DIR: testDataDir() });
    expect(plugin.code).toBe(1);
    expect(plugin.err).toContain('  - risk[1].config.maxVarPCT: unknown setting "maxVarPCT" (did you mean "maxVarPct"?)');
    expect(plugin.err).toContain('  - broker.config.slipage: unknown setting "slipage" (did you mean "slippage"?)');
  });

  it('a strategy\'s symbols must be the run\'s, and its timeframes ones that can be built from the run\'s bars', async () => {
    const text = spyRun.replace('  - plugin: rsi-mean-reversion\n', '  - plugin: rsi-mean-reversion\n    symbols: [SPY, QQQ]\n    timeframes: [1w, 4h]\n');
    const { code, err } = await backtest('run.yaml', text, { DATA_DIR: testDataDir() });
    expect(code).toBe(1);
    expect(err).toContain('  - strategies[1].timeframes[1]: 4h bars cannot be built from the run\'s 1d bars');
    expect(err).toContain('  - strategies[1].symbols[1]: QQQ is not one of the run\'s symbols (SPY); add it to symbols or remove it here');
  });

  it('an unknown broker plugin is named like any other plugin', async () => {
    const { code, err } = await backtest('run.yaml', spyRun.replace('broker:\n', 'broker:\n  plugin: ibkr\n'), { DATA_DIR: testDataDir() });
    expect(code).toBe(1);
    expect(err).toContain('  - broker.plugin: no installed plugin "ibkr"; installed broker plugins: paper');
  });

  it('an unset environment variable and a YAML syntax error are named', async () => {
    const env = await backtest('run.yaml', spyRun);
    expect(env.err).toContain('  - data.config.baseDir: environment variable DATA_DIR is not set (write ${DATA_DIR:-default} for a default)');
    const syntax = await backtest('run.yaml', 'data:\n  plugin: [unclosed\nsymbols: [SPY]\n');
    expect(syntax.code).toBe(1);
    expect(syntax.err).toMatch(/ {2}- line \d+, column \d+: /);
    const missing = await main(['backtest', '--config', 'nope.yaml', '--no-cache'], { cwd: dir, env: {}, stdout: { write: () => true }, stderr: { write: (t: string) => (env.err = t) } });
    expect(missing).toBe(1);
    expect(env.err).toBe(`error: no run config at ${join(dir, 'nope.yaml')}\n  fix: check the path (it is relative to the current folder), or write a starter there with \`trading-orchestrator init <file>\`\n`);
  });
});

describe('orders and positions from the run file', () => {
  const longShort = (extra: string) => `
data:
  plugin: data-file
  config: { baseDir: "\${DATA_DIR}", files: [{ path: ohlcv/equities/SPY_D.csv, symbol: SPY, timeframe: 1d }] }
symbols: [SPY]
timeframe: 1d
start: 2005-01-01
end: 2012-01-01
periodsPerYear: 252
instruments:
  SPY: { fractional: false, tickSize: 0.01 }
strategies:
  - plugin: ma-crossover
    config: { fast: 20, slow: 50, mode: long-short }
${extra}`;

  const json = async (text: string) => {
    writeFileSync(join(dir, 'run.yaml'), text);
    let out = '';
    let err = '';
    const code = await main(['backtest', '--config', 'run.yaml', '--project', runnerDir, '--no-cache', '--no-journal', '--no-report', '--json'], { cwd: dir, env: { DATA_DIR: testDataDir() }, stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) } });
    return { code, err, result: code === 0 ? (JSON.parse(out) as { strategies: { trades: { direction: string; quantity: number; exitReason?: string }[]; ignored: Record<string, number> }[]; portfolio: { positions: unknown[]; cash: number } }) : undefined };
  };

  it('a long-short MA crossover on a margin account reverses on each cross, in whole shares, and closes at the end', async () => {
    const { code, err, result } = await json(longShort('account: { type: margin, leverage: 1 }\nallowShort: true\n'));
    expect(code, err).toBe(0);
    const trades = result!.strategies[0]!.trades;
    expect(trades.filter((t) => t.direction === 'long').length).toBeGreaterThan(5);
    expect(trades.filter((t) => t.direction === 'short').length).toBeGreaterThan(5);
    expect(trades.filter((t) => t.exitReason === 'reversal').length).toBe(trades.length - 1);
    expect(trades.at(-1)!.exitReason).toBe('end-of-run');
    expect(trades.every((t) => Number.isInteger(t.quantity))).toBe(true);
    expect(result!.portfolio.positions).toEqual([]);
  });

  it('on a cash account the same strategy cannot short: each reversal only closes the long, and says so', async () => {
    const { code, err, result } = await json(longShort('closeAtEnd: false\n'));
    expect(code, err).toBe(0);
    const s = result!.strategies[0]!;
    expect(s.trades.every((t) => t.direction === 'long')).toBe(true);
    expect(s.ignored.SHORTING_NOT_ALLOWED).toBeGreaterThan(5);
    expect(result!.portfolio.cash).toBeGreaterThan(0);
  });

  it('refuses shorts on a cash account and leverage without margin, naming the fix', async () => {
    const { code, err } = await json(longShort('allowShort: true\naccount: { leverage: 2 }\n'));
    expect(code).toBe(1);
    expect(err).toContain('  - allowShort: selling short needs a margin account: set account: { type: margin, leverage: 1 } (or more), or remove allowShort');
    expect(err).toContain('  - account.leverage: leverage applies to margin accounts: set account.type to margin, or remove leverage');
  });

  it('prints the signals not acted on, by strategy and reason, and the trades closed at the end', async () => {
    const { code, out } = await backtest('run.yaml', longShort(''), { DATA_DIR: testDataDir() }, ['--no-journal', '--no-report']);
    expect(code).toBe(0);
    expect(out).toMatch(/^signals not acted on, or cut to what the account allows \(the journal has each with its reason\): ma-crossover: SHORTING_NOT_ALLOWED ×\d+/m);
  });
});

