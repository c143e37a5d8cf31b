import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SAMPLES_DIR } from '../src/commands/default-backtest.js';
import { runCli } from './cli-harness.js';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const runnerDir = fileURLToPath(new URL('..', import.meta.url));
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'to-optimize-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Real daily SPY bars, 2012 to late 2019, one ma-crossover to tune. */
const runFile = (optimize: string[], extra: string[] = []) =>
  [
    'data:',
    '  plugin: data-file',
    '  config:',
    `    baseDir: ${JSON.stringify(SAMPLES_DIR)}`,
    '    files: [{ path: SPY_D.csv, symbol: SPY, timeframe: 1d }]',
    'symbols: [SPY]',
    'timeframe: 1d',
    'start: 2012-01-01',
    'end: 2019-10-17',
    'periodsPerYear: 252',
    'strategies:',
    '  - plugin: ma-crossover',
    ...extra,
    'optimize:',
    ...optimize.map((l) => `  ${l}`),
  ].join('\n');

const trialsOf = (file: string, runId: number) => {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT window, seq, params, status, score FROM trials WHERE run_id = ? ORDER BY window, seq').all(runId) as { window: number; seq: number; params: string; status: string; score: number | null }[];
  } finally {
    db.close();
  }
};

/** Trials journaled so far by a sweep running in another process; the file may exist before its tables do. */
const finishedTrials = (file: string) => {
  if (!existsSync(file)) return 0;
  try {
    return trialsOf(file, 1).length;
  } catch {
    return 0;
  }
};

describe('trading-orchestrator optimize', () => {
  it('searches the strategy\'s declared space, journals every trial, and shows the guards and the settings to use', async () => {
    writeFileSync(join(dir, 'run.yaml'), runFile(['method: tpe', 'trials: 30', 'objective: sharpe', 'space:', '  ma-crossover.average: false']));
    const { code, out, err } = await runCli(dir, 'optimize', '--config', 'run.yaml', '--project', runnerDir, '--no-cache');
    expect(err).not.toMatch(/error|at .*\.js:\d+/);
    expect(code).toBe(0);
    expect(out).toContain('Optimisation: tpe search of ma-crossover.fast, ma-crossover.slow for the best sharpe, on SPY 1d from 2012-01-01 to 2019-10-17');
    expect(out).toMatch(/30 trials: \d+ measured/);
    const best = /Best \(trial (\d+)\): ma-crossover\.fast=(\d+) ma-crossover\.slow=(\d+)/.exec(out)!;
    expect(best).not.toBeNull();
    // The declared condition fast < slow holds for the winner (and every trial, below).
    expect(Number(best[2])).toBeLessThan(Number(best[3]));
    expect(out).toMatch(/deflated Sharpe ratio 0\.\d{3} \(its Sharpe [\d.]+ against [\d.]+, the best that 30 luckless trials would show\): the probability/);
    expect(out).toMatch(/probability of backtest overfitting [01]\.\d{3} \(12870 splits of 16 blocks of days\): how often/);
    expect(out).toContain(`strategies[0].config: { fast: ${best[2]}, slow: ${best[3]} }`);
    const trials = trialsOf(join(dir, 'trading-orchestrator.db'), 1);
    expect(trials).toHaveLength(30);
    const csv = await runCli(dir, 'journal', 'export', '1', '--what', 'trials');
    const lines = csv.out.trim().split('\n');
    expect(lines[0]).toMatch(/^window,trial,status,score,ma-crossover\.fast,ma-crossover\.slow,totalReturn,.*,trades,winRate,elapsedMs,reason$/);
    expect(lines).toHaveLength(31);
    for (const t of trials) {
      const p = JSON.parse(t.params) as Record<string, number>;
      expect(p['ma-crossover.fast']).toBeLessThan(p['ma-crossover.slow']!);
    }
    // The winner's settings, run as a plain backtest, give the Sharpe ratio the sweep reported.
    const sharpe = Number(/Top trials:\n\s+#\d+\s+(-?[\d.]+)/.exec(out)![1]);
    writeFileSync(join(dir, 'best.yaml'), runFile(['trials: 1']).replace('  - plugin: ma-crossover', `  - plugin: ma-crossover\n    config: { fast: ${best[2]}, slow: ${best[3]} }`));
    const plain = await runCli(dir, 'backtest', '--config', 'best.yaml', '--project', runnerDir, '--no-cache', '--no-journal', '--no-report', '--json');
    expect((JSON.parse(plain.out) as { metrics: { sharpe: number } }).metrics.sharpe).toBeCloseTo(sharpe, 3);
    const html = readFileSync(join(dir, 'trading-orchestrator-optimize.html'), 'utf8');
    expect(html).toContain('Best sharpe by ma-crossover.fast (across) and ma-crossover.slow (up)');
    expect(html).toContain('Probability of backtest overfitting');
  }, 120_000);

  it('resumes a sweep killed mid-way without running a finished trial again, ending with the trials an uninterrupted sweep makes', async () => {
    const optimize = ['method: tpe', 'trials: 120', 'seed: 5', 'space:', '  ma-crossover.average: false'];
    writeFileSync(join(dir, 'run.yaml'), runFile(optimize));
    const journal = join(dir, 'sweep.db');
    const child = spawn(process.execPath, [cli, 'optimize', '--config', 'run.yaml', '--project', runnerDir, '--no-cache', '--journal', 'sweep.db', '--no-report'], { cwd: dir });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    for (;;) {
      await new Promise((r) => setTimeout(r, 25));
      if (finishedTrials(journal) >= 15) break;
    }
    child.kill('SIGKILL');
    await exited;
    const before = trialsOf(journal, 1);
    expect(before.length).toBeLessThan(120);
    const resumed = await runCli(dir, 'optimize', '--config', 'run.yaml', '--project', runnerDir, '--no-cache', '--journal', 'sweep.db', '--no-report');
    expect(resumed.code).toBe(0);
    expect(resumed.err).toContain(`resuming optimisation run 1: its ${before.length} finished trials are read back, not run again`);
    expect(resumed.out).toContain(`${before.length} read back from the journal`);
    const after = trialsOf(journal, 1);
    expect(after).toHaveLength(120);
    // Those kept were not written again (threads finish out of order, so they are matched by their place), and
    // nothing was counted twice.
    const bySeq = new Map(after.map((t) => [t.seq, t]));
    for (const t of before) expect(bySeq.get(t.seq)).toEqual(t);
    expect(new Set(after.map((t) => t.params)).size).toBe(120);
    // An uninterrupted sweep with the same seed proposes the same trials in the same order.
    writeFileSync(join(dir, 'clean.yaml'), runFile(optimize));
    const clean = await runCli(dir, 'optimize', '--config', 'clean.yaml', '--project', runnerDir, '--no-cache', '--journal', 'clean.db', '--no-report');
    expect(clean.code).toBe(0);
    expect(trialsOf(join(dir, 'clean.db'), 1).map((t) => t.params)).toEqual(after.map((t) => t.params));
    expect(resumed.out.split('\n').find((l) => l.startsWith('Best'))).toBe(clean.out.split('\n').find((l) => l.startsWith('Best')));
  }, 180_000);

  it('stops on Ctrl-C with exit 130, keeping the finished trials for the same command to resume', async () => {
    writeFileSync(join(dir, 'run.yaml'), runFile(['method: random', 'trials: 400', 'space:', '  ma-crossover.average: false']));
    const child = spawn(process.execPath, [cli, 'optimize', '--config', 'run.yaml', '--project', runnerDir, '--no-cache', '--journal', 'sweep.db', '--no-report', '--workers', '2'], { cwd: dir });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    while (finishedTrials(join(dir, 'sweep.db')) < 10) await new Promise((r) => setTimeout(r, 25));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(err).toContain(`interrupted (Ctrl-C); the finished trials are kept in ${join(dir, 'sweep.db')} (run 1): run the same command again to resume`);
    const db = new Database(join(dir, 'sweep.db'), { readonly: true });
    expect(db.prepare('SELECT status FROM runs WHERE id = 1').get()).toEqual({ status: 'interrupted' });
    db.close();
  }, 120_000);

  it('makes the same trials with the same results on one thread and on two, the bars loaded once and shared', async () => {
    writeFileSync(join(dir, 'run.yaml'), runFile(['method: tpe', 'trials: 24', 'batch: 4', 'space:', '  ma-crossover.average: false']));
    const one = await runCli(dir, 'optimize', '--config', 'run.yaml', '--project', runnerDir, '--no-cache', '--journal', 'one.db', '--no-report', '--workers', '1');
    const two = await runCli(dir, 'optimize', '--config', 'run.yaml', '--project', runnerDir, '--no-cache', '--journal', 'two.db', '--no-report', '--workers', '2');
    expect(one.code).toBe(0);
    expect(two.code).toBe(0);
    expect(one.err).toContain('trials run in this process');
    expect(two.err).toContain('trials run on 2 worker threads, on bars loaded once and shared');
    const strip = (rows: ReturnType<typeof trialsOf>) => rows.map((r) => [r.seq, r.params, r.status, r.score]);
    expect(strip(trialsOf(join(dir, 'two.db'), 1))).toEqual(strip(trialsOf(join(dir, 'one.db'), 1)));
  }, 120_000);

  it('walks forward: settings chosen in each in-sample span are tested on the span after it, and the test spans are stitched', async () => {
    writeFileSync(join(dir, 'run.yaml'), runFile(['method: random', 'trials: 12', 'walkForward: { inSampleDays: 730, outOfSampleDays: 365 }', 'space:', '  ma-crossover.average: false']));
    const { code, out } = await runCli(dir, 'optimize', '--config', 'run.yaml', '--project', runnerDir, '--no-cache', '--journal', 'wf.db');
    expect(code).toBe(0);
    // 2012-01-01 + 730 days, then whole 365-day test spans up to 2019-10-17: five windows.
    const windows = out.split('\n').filter((l) => /^\s+window \d+: in-sample/.test(l));
    expect(windows).toHaveLength(5);
    expect(windows[0]).toMatch(/in-sample 2012-01-01\.\.2013-12-31 chose ma-crossover\.fast=\d+ ma-crossover\.slow=\d+ .*; test 2013-12-31\.\.2014-12-31: return -?[\d.]+%/);
    expect(windows[1]).toMatch(/in-sample 2012-12-31\.\.2014-12-31 .*; test 2014-12-31\.\.2015-12-31/);
    expect(out).toMatch(/Out of sample, stitched: return -?[\d.]+% · sharpe -?[\d.]+ · drawdown [\d.]+% over \d+ days with bars/);
    expect(out).toMatch(/walk-forward efficiency (-?[\d.]+|–): the test spans' annualised return over the in-sample one/);
    expect(out).toMatch(/ma-crossover\.fast: [\d.]+ \(\d+, \d+, \d+, \d+, \d+\)/);
    const trials = trialsOf(join(dir, 'wf.db'), 1);
    expect(trials.filter((t) => t.seq === -1).map((t) => t.window)).toEqual([1, 2, 3, 4, 5]);
    expect(trials.filter((t) => t.seq >= 0)).toHaveLength(60);
    expect(readFileSync(join(dir, 'trading-orchestrator-optimize.html'), 'utf8')).toContain('Out-of-sample equity, window after window');
  }, 120_000);

  it('maximises an objective of the user\'s own, from a module beside the run file', async () => {
    writeFileSync(join(dir, 'calm-return.mjs'), 'export default ({ metrics, returns }) => (returns.values.length > 0 ? metrics.totalReturn - 2 * metrics.maxDrawdown : Number.NaN);\n');
    writeFileSync(join(dir, 'run.yaml'), runFile(['method: random', 'trials: 12', 'objective: { module: ./calm-return.mjs }', 'space:', '  ma-crossover.average: false']));
    const { code, out } = await runCli(dir, 'optimize', '--config', 'run.yaml', '--project', runnerDir, '--no-cache', '--no-journal', '--no-report');
    expect(code).toBe(0);
    expect(out).toContain('for the best calm-return,');
    const line = out.split('\n').find((l) => l.startsWith('  calm-return '))!;
    const [score, ret, drawdown] = [/calm-return (-?[\d.]+)/, /return (-?[\d.]+)%/, /drawdown ([\d.]+)%/].map((r) => Number(r.exec(line)![1]));
    expect(score).toBeCloseTo(ret! / 100 - (2 * drawdown!) / 100, 3);

    writeFileSync(join(dir, 'missing.yaml'), runFile(['trials: 2', 'objective: { module: ./nowhere.mjs }']));
    const missing = await runCli(dir, 'optimize', '--config', 'missing.yaml', '--project', runnerDir, '--no-cache', '--no-journal', '--no-report');
    expect(missing.code).toBe(1);
    expect(missing.err).toContain(`optimize.objective.module: ${join(dir, 'nowhere.mjs')} does not exist`);
  }, 120_000);

  it('names what is wrong with the search space, and what it needs, without a stack trace', async () => {
    writeFileSync(join(dir, 'range.yaml'), runFile(['space:', '  ma-crossover.slow: { type: int, min: 50, max: 10 }']));
    const range = await runCli(dir, 'optimize', '--config', 'range.yaml', '--project', runnerDir, '--no-cache', '--no-journal', '--no-report');
    expect(range.code).toBe(1);
    expect(range.err).toContain('optimize.space["ma-crossover.slow"].max: max (10) is below min (50)');

    writeFileSync(join(dir, 'bad.yaml'), runFile(['space:', '  ma-crossover.fats: { type: int, min: 1, max: 5 }', '  vwap.period: { type: int, min: 1, max: 5 }', 'conditions: ["ma-crossover.fast << 3"]']));
    const bad = await runCli(dir, 'optimize', '--config', 'bad.yaml', '--project', runnerDir, '--no-cache', '--no-journal', '--no-report');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('optimize.space["ma-crossover.fats"]: ma-crossover has no setting "fats"; its settings: fast, slow');
    expect(bad.err).toContain('optimize.space["vwap.period"]: no enabled strategy, indicator or risk plugin has the id "vwap"');
    expect(bad.err).toContain('optimize.conditions[0]: "ma-crossover.fast << 3" is not a comparison');
    expect(bad.err).not.toMatch(/at .*\.js:\d+/);

    writeFileSync(join(dir, 'none.yaml'), runFile(['trials: 5']).replace(/optimize:\n.*$/s, ''));
    const none = await runCli(dir, 'optimize', '--config', 'none.yaml', '--project', runnerDir, '--no-cache', '--no-journal', '--no-report');
    expect(none.code).toBe(2);
    expect(none.err).toContain('none.yaml has no optimize: section');

    writeFileSync(join(dir, 'strict.yaml'), runFile(['trials: 10', 'constraints: { minTrades: 500 }']));
    const strict = await runCli(dir, 'optimize', '--config', 'strict.yaml', '--project', runnerDir, '--no-cache', '--no-journal', '--no-report');
    expect(strict.code).toBe(0);
    expect(strict.out).toMatch(/^ {4}10 × like: \d+ closed trades, fewer than constraints\.minTrades \(500\)$/m);
    expect(strict.out).toContain('no trial met the constraints: widen the search space, or loosen optimize.constraints');
  }, 120_000);
});
