import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './cli-harness.js';

const runnerDir = new URL('..', import.meta.url).pathname;
const pluginsDir = new URL('../../../plugins', import.meta.url).pathname;
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'to-journal-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const cli = (...argv: string[]) => runCli(dir, ...argv);

describe('the journal from the command line', () => {
  it('a backtest writes its run; journal list and export read it back as CSV and JSON', async () => {
    const run = await cli('backtest', '--project', runnerDir, '--no-cache', '--journal', 'runs.db');
    expect(run.code).toBe(0);
    expect(run.out).toContain(`journal: ${join(dir, 'runs.db')} (run 1); trading-orchestrator journal export 1 --journal ${join(dir, 'runs.db')}`);
    const list = await cli('journal', 'list', '--journal', 'runs.db');
    expect(list.out.split('\n')[0]).toMatch(/^ID\s+LABEL\s+MODE\s+STATUS\s+STARTED\s+ENDED\s+EQUITY$/);
    expect(list.out.split('\n')[1]).toMatch(/^1\s+default\s+backtest\s+finished\s+\S+Z\s+\S+Z\s+\d+\.\d\d$/);
    const csv = (await cli('journal', 'export', '1', '--journal', 'runs.db')).out.split('\n');
    expect(csv[0]).toBe('strategyId,symbol,direction,quantity,entryTime,exitTime,pnl,fees,exitReason');
    expect(csv.length).toBeGreaterThan(40);
    const equity = JSON.parse((await cli('journal', 'export', '1', '--journal', 'runs.db', '--what', 'equity', '--format', 'json')).out) as { time: number; equity: number }[];
    expect(equity[0]).toEqual({ time: Date.UTC(2015, 5, 1), strategyId: '', equity: 100_000 });
    const onlyBollinger = (await cli('journal', 'export', '1', '--journal', 'runs.db', '--strategy', 'bollinger-reversion')).out.split('\n').slice(1, -1);
    expect(onlyBollinger.length).toBeGreaterThan(20);
    expect(onlyBollinger.every((l) => l.startsWith('bollinger-reversion,'))).toBe(true);
  });

  it('a run on hourly bars journals a thinned equity curve by default (each day\'s low, high and close, and after every fill); journalEquity: every-bar keeps every bar', async () => {
    const yaml = (extra: string) => `data: { plugin: data-synthetic, config: { origin: 2023-01-01 } }
symbols: [ALPHA]
timeframe: 1h
start: 2023-03-01
end: 2023-04-01
strategies:
  - plugin: ma-crossover
    config: { fast: 5, slow: 20 }
${extra}`;
    const equityOf = async (journal: string, extra: string) => {
      writeFileSync(join(dir, 'run.yaml'), yaml(extra));
      const run = await cli('backtest', '--config', 'run.yaml', '--plugin-dir', pluginsDir, '--no-cache', '--no-report', '--journal', journal);
      expect(run.code, run.err).toBe(0);
      return JSON.parse((await cli('journal', 'export', '1', '--journal', journal, '--what', 'equity', '--format', 'json')).out) as { time: number; strategyId: string; equity: number }[];
    };
    const every = await equityOf('every.db', 'journalEquity: every-bar');
    const thinned = await equityOf('thinned.db', '');
    const account = every.filter((e) => e.strategyId === '');
    // March 2023 hour by hour: 744 points of the account's curve; thinned, three a day and one after each fill at most.
    expect(account).toHaveLength(31 * 24);
    const kept = thinned.filter((e) => e.strategyId === '');
    expect(kept.length).toBeLessThan(account.length / 3);
    const byTime = new Map(account.map((e) => [e.time, e.equity]));
    for (const e of kept) expect(e.equity).toBe(byTime.get(e.time));
    expect(kept.map((e) => e.time)).toEqual([...kept.map((e) => e.time)].sort((a, b) => a - b));
    expect(kept.at(-1)).toEqual(account.at(-1));
    // Each day's low and high are among the points kept.
    for (let day = 0; day < 31; day++) {
      const hours = account.slice(day * 24, day * 24 + 24).map((e) => e.equity);
      const values = kept.filter((e) => Math.floor((e.time - account[0]!.time) / 86_400_000) === day).map((e) => e.equity);
      expect(values).toContain(Math.min(...hours));
      expect(values).toContain(Math.max(...hours));
    }
  });

  it('--no-journal keeps none; a missing journal or run is explained', async () => {
    const run = await cli('backtest', '--project', runnerDir, '--no-cache', '--no-journal');
    expect(run.out).toContain('journal: none (--no-journal)');
    expect(existsSync(join(dir, 'trading-orchestrator.db'))).toBe(false);
    expect(await cli('journal', 'list')).toEqual({ code: 1, out: '', err: `error: no journal at ${join(dir, 'trading-orchestrator.db')}\n  fix: run a backtest first, or name the journal with --journal <file>\n` });
    await cli('backtest', '--project', runnerDir, '--no-cache');
    expect((await cli('journal', 'export', '7')).err).toBe(`error: no run 7 in ${join(dir, 'trading-orchestrator.db')}; trading-orchestrator journal list shows the runs\n`);
    expect(await cli('journal', 'export', '1', '--what', 'orders')).toEqual({
      code: 2,
      out: '',
      err: 'error: --what is trades, equity, ignored, problems or trials, got "orders"\n  usage: trading-orchestrator journal export <run id> [--what trades|equity|ignored|problems|trials] [--strategy <id>] [--format csv|json]\n',
    });
    expect((await cli('journal', 'export', 'last')).err).toMatch(/^error: the run id is a whole number \(journal list shows them\), got "last"\n/);
  });

  it('a journal that cannot be opened stops the run before it starts, saying why and what to do', async () => {
    const run = await cli('backtest', '--project', runnerDir, '--no-cache', '--journal', join('missing', 'runs.db'));
    expect(run.code).toBe(1);
    expect(run.err).toBe(`error: the journal would be written to ${join(dir, 'missing', 'runs.db')}, but the folder ${join(dir, 'missing')} does not exist\n  fix: create the folder or make it writable, name another file (--journal <file>), or write none (--no-journal)\n`);
    expect(run.out).not.toContain('Backtest:');
  });

  it('a file that is not a journal is named, left as it was, and never a stack trace: for a run and for journal list', async () => {
    const notes = join(dir, 'notes.db');
    writeFileSync(notes, 'meeting notes\n'.repeat(100));
    const expected = `error: ${notes} is not a trading-orchestrator journal (not an SQLite database); it was left untouched\n  fix: name another file for the journal (--journal runs.db), or move this one aside\n`;
    const run = await cli('backtest', '--project', runnerDir, '--no-cache', '--journal', 'notes.db', '--no-report');
    expect([run.code, run.err]).toEqual([1, expected]);
    expect(run.out).not.toContain('Backtest:');
    expect(await cli('journal', 'list', '--journal', 'notes.db')).toEqual({ code: 1, out: '', err: expected });
    expect(readFileSync(notes, 'utf8')).toBe('meeting notes\n'.repeat(100));
  });
});
