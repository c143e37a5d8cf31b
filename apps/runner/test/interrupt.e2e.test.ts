import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const runnerDir = fileURLToPath(new URL('..', import.meta.url));
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'to-interrupt-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('a long backtest on the command line', () => {
  it('shows progress as plain lines when not a terminal; Ctrl-C stops the plugins, keeps the journal, prints the summary so far and exits 130', async () => {
    // Three symbols of minute bars for 60 days: about 260,000 bars, several seconds of work.
    writeFileSync(
      join(dir, 'long.yaml'),
      ['data: { plugin: data-synthetic }', 'symbols: [ALPHA, BETA, GAMMA]', 'timeframe: 1m', 'start: 2020-01-01', 'end: 2020-03-01', 'strategies:', '  - plugin: ma-crossover', 'risk:', '  - plugin: risk-guards'].join('\n'),
    );
    const child = spawn(process.execPath, [cli, 'backtest', '--config', 'long.yaml', '--project', runnerDir, '--no-cache', '--journal', 'runs.db', '--no-report'], { cwd: dir });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const sawProgress = new Promise<void>((resolve) => {
      child.stderr.on('data', (d: Buffer) => {
        err += d.toString();
        if (err.includes('progress: ')) resolve();
      });
    });
    await sawProgress;
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(err).toMatch(/^progress: 10% \d+ bars, \d+ bars\/s, ETA \d+\.\d s$/m);
    expect(code).toBe(130);
    const bars = Number(/interrupted after (\d+) bars \(Ctrl-C\); the plugins were stopped and the journal flushed\. Summary so far:/.exec(out)?.[1]);
    expect(bars).toBeGreaterThan(0);
    expect(bars).toBeLessThan(259_200);
    expect(out).toMatch(/^account\s+\d+/m);
    expect(out).toContain(`journal: ${join(dir, 'runs.db')} (run 1, interrupted)`);
    const db = new Database(join(dir, 'runs.db'), { readonly: true });
    expect(db.prepare('SELECT status FROM runs WHERE id = 1').get()).toEqual({ status: 'interrupted' });
    // The thinned equity curve was written up to the Ctrl-C: what it held back was flushed, so it reaches past the
    // last fill journaled.
    const lastFill = (db.prepare('SELECT MAX(time) AS t FROM fills WHERE run_id = 1').get() as { t: number | null }).t;
    const equity = db.prepare('SELECT COUNT(*) AS n, MAX(time) AS t FROM equity WHERE run_id = 1 AND strategy_id = ?').get('') as { n: number; t: number };
    expect(lastFill).not.toBeNull();
    expect(equity.n).toBeGreaterThan(10);
    expect(equity.t).toBeGreaterThanOrEqual(lastFill!);
    db.close();
  }, 120_000);
});
