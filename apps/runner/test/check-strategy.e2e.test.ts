import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SAMPLES_DIR } from '../src/commands/default-backtest.js';
import { runCli } from './cli-harness.js';

const runnerDir = fileURLToPath(new URL('..', import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'to-check-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const spyFile = (strategies: string[], extra: string[] = []) =>
  ['data:', '  plugin: data-file', '  config:', `    baseDir: ${JSON.stringify(SAMPLES_DIR)}`, '    files: [{ path: SPY_D.csv, symbol: SPY, timeframe: 1d }]', 'symbols: [SPY]', 'timeframe: 1d', 'start: 2012-01-01', 'end: 2019-10-17', ...extra, 'strategies:', ...strategies].join('\n');

describe('trading-orchestrator check-strategy', () => {
  it('catches a strategy that trades on the next bar\'s close its data carries, and passes the honest one beside it', async () => {
    writeFileSync(
      join(dir, 'peek.yaml'),
      ['data:', '  plugin: fixture-data-labelled', `  config: { file: ${JSON.stringify(join(SAMPLES_DIR, 'SPY_D.csv'))}, symbol: SPY }`, 'symbols: [SPY]', 'timeframe: 1d', 'start: 2015-01-01', 'end: 2019-10-17', 'strategies:', '  - plugin: fixture-peeking', '  - plugin: ma-crossover'].join('\n'),
    );
    const { code, out, err } = await runCli(dir, 'check-strategy', '--config', 'peek.yaml', '--project', runnerDir, '--no-cache', '--plugin-path', fixture('data-labelled'), '--plugin-path', fixture('strategy-peeking'), '--cuts', '6');
    expect(err).toContain('look-ahead check: run 7 of 7');
    expect(code).toBe(1);
    expect(out).toContain('fixture-peeking: LOOKS AHEAD: its signals changed at 6 of 6 cuts when the later bars were removed');
    expect(out).toMatch(/^ {4}\d{4}-\d\d-\d\d SPY: (buy|exit) \(strength 1\) with the later bars, nothing without$/m);
    expect(out).toMatch(/Look-ahead check:[^\n]*\n(?:.*\n)*? {2}ma-crossover: passes/);
  }, 120_000);

  it('passes the reference strategies on real SPY and BTC/USD days', async () => {
    writeFileSync(
      join(dir, 'ref.yaml'),
      [
        'data:',
        '  plugin: data-file',
        '  config:',
        `    baseDir: ${JSON.stringify(SAMPLES_DIR)}`,
        '    files: [{ path: SPY_D.csv, symbol: SPY, timeframe: 1d }, { path: Coinbase_BTCUSD_d.csv, symbol: BTC/USD, timeframe: 1d }]',
        'symbols: [SPY, BTC/USD]',
        'timeframe: 1d',
        'start: 2015-06-01',
        'end: 2019-10-17',
        'warmupBars: 200',
        'strategies: [{ plugin: ma-crossover }, { plugin: rsi-mean-reversion }, { plugin: bollinger-reversion }]',
      ].join('\n'),
    );
    const { code, out } = await runCli(dir, 'check-strategy', '--config', 'ref.yaml', '--project', runnerDir, '--no-cache');
    expect(code).toBe(0);
    const lookAhead = out.split('Warm-up check')[0]!;
    for (const id of ['ma-crossover', 'rsi-mean-reversion', 'bollinger-reversion']) expect(lookAhead).toContain(`  ${id}: passes`);
  }, 120_000);

  it('warns when an EMA is warmed up too briefly, and not once the run warms it for long enough', async () => {
    const ema = ['  - plugin: ma-crossover', '    config: { average: ema, fast: 10, slow: 30 }'];
    writeFileSync(join(dir, 'short.yaml'), spyFile(ema));
    const short = await runCli(dir, 'check-strategy', '--config', 'short.yaml', '--project', runnerDir, '--no-cache', '--cuts', '2');
    expect(short.code).toBe(0);
    expect(short.out).toContain('ma-crossover: warning: after warm-up, its signals still depend on the history before it');
    expect(short.out).toMatch(/started \d{4}-\d\d-\d\d \(its signals count from \d{4}-\d\d-\d\d\): \d+ signals? differs?, the last on/);
    writeFileSync(join(dir, 'long.yaml'), spyFile(ema, ['warmupBars: 250']));
    const long = await runCli(dir, 'check-strategy', '--config', 'long.yaml', '--project', runnerDir, '--no-cache', '--cuts', '2');
    expect(long.out.split('Warm-up check')[1]).toContain('ma-crossover: passes');
  }, 120_000);

  it('says what it needs', async () => {
    const none = await runCli(dir, 'check-strategy', '--project', runnerDir);
    expect(none.code).toBe(2);
    expect(none.err).toContain('check-strategy needs --config <file>');
    writeFileSync(join(dir, 'one.yaml'), spyFile(['  - plugin: ma-crossover']));
    const cuts = await runCli(dir, 'check-strategy', '--config', 'one.yaml', '--project', runnerDir, '--cuts', 'many');
    expect(cuts.err).toContain('--cuts must be a whole number from 1 to 200, got "many"');
    const unknown = await runCli(dir, 'check-strategy', '--config', 'one.yaml', '--project', runnerDir, '--strategy', 'rsi');
    expect(unknown.err).toContain('one.yaml has no enabled strategy "rsi" (it has ma-crossover)');
  }, 60_000);
});
