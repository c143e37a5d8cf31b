import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FakeBinance, KlineRow } from '@trading-orchestrator/data-binance/testing';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeResume, type PaperCheckpoint } from '../src/commands/run-paper.js';
import { openingState, sessionLiveFrom, startPresentDayBinance } from './present-day-binance.js';

/**
 * A paper session is killed with SIGKILL while it holds a position, and started again with the same config and
 * journal: it must carry on as the same run, from the state of its last checkpoint. The runner runs as a child
 * process against a local server speaking Binance's protocols, fed real BTC minute bars moved to the present.
 */
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const pluginsDir = fileURLToPath(new URL('../../../plugins', import.meta.url));
const WARMUP = 30;

let server: FakeBinance;
let dir: string;
let rows: readonly KlineRow[];
const children: ChildProcess[] = [];

function startRunner(...extra: string[]): { child: ChildProcess; output: Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }>; err: () => string } {
  const child = spawn(process.execPath, [cli, 'paper', '--config', 'paper.yaml', '--plugin-dir', pluginsDir, '--journal', 'paper.db', '--no-report', ...extra], { cwd: dir, env: { ...process.env, CI: 'true' } });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  return { child, output: new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, out, err }))), err: () => err };
}

/** The time of the latest checkpoint in a journal file, or undefined (before the file or a checkpoint exists). */
function checkpointTime(file: string): number | undefined {
  try {
    const db = new Database(join(dir, file), { readonly: true, fileMustExist: true });
    try {
      return (db.prepare('SELECT time FROM checkpoints ORDER BY run_id DESC LIMIT 1').get() as { time: number } | undefined)?.time;
    } finally {
      db.close();
    }
  } catch {
    return undefined;
  }
}

/** The session's latest checkpoint as the journal holds it, read the way another process would. */
function latestCheckpoint(): { time: number; state: PaperCheckpoint } | undefined {
  const db = new Database(join(dir, 'paper.db'), { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare('SELECT time, state FROM checkpoints ORDER BY run_id DESC LIMIT 1').get() as { time: number; state: string } | undefined;
    return row === undefined ? undefined : { time: row.time, state: JSON.parse(row.state) as PaperCheckpoint };
  } finally {
    db.close();
  }
}

/** The next live row no session has seen yet (the tests share one market, in order). */
let cursor = WARMUP;

const push = (row: KlineRow) => {
  server.pushKline('BTCUSDT', '1m', openingState(row), false);
  server.pushKline('BTCUSDT', '1m', row, true);
};

beforeAll(async () => {
  ({ server, dir, rows } = await startPresentDayBinance({ warmup: WARMUP, live: 120 }));
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await server?.close();
});

describe('a paper session killed with SIGKILL', () => {
  it('resumes as the same run with its positions, cash and orders, and goes on trading', { timeout: 180_000 }, async () => {
    const first = startRunner();
    const from = await sessionLiveFrom(first.err);
    await server.subscribed('btcusdt@kline_1m');
    // Live bars one at a time, each waited for, until the session holds a position.
    let next = rows.findIndex((row) => row[0] >= from);
    let held: { time: number; state: PaperCheckpoint } | undefined;
    while (held === undefined) {
      if (next >= rows.length - 20) throw new Error('the strategy never opened a position');
      push(rows[next]!);
      // The bar closes when the next one starts.
      server.pushKline('BTCUSDT', '1m', openingState(rows[next + 1]!), false);
      const time = rows[next]![0];
      await expect.poll(() => latestCheckpoint()?.time, { timeout: 30_000 }).toBe(time);
      const checkpoint = latestCheckpoint()!;
      if (checkpoint.state.engine.ledger.lots.some((l) => l.quantity !== 0)) held = checkpoint;
      next++;
    }
    first.child.kill('SIGKILL');
    const killed = await first.output;
    expect(killed.signal).toBe('SIGKILL');

    const connections = server.connections;
    const second = startRunner('--bars', '15');
    await expect.poll(() => server.connections, { timeout: 30_000 }).toBeGreaterThan(connections);
    await server.subscribed('btcusdt@kline_1m');
    for (let i = 0; i < 16; i++) push(rows[next + i]!);
    const { code, out, err } = await second.output;
    expect(code, `${out}\n${err}`).toBe(0);
    // What it resumed from is exactly the last checkpoint the killed process wrote.
    expect(err).toContain(describeResume(1, held.time, held.state));
    expect(err).toMatch(/open position \(BTC\/USDT \d/);

    cursor = next + 16;
    const db = new Database(join(dir, 'paper.db'), { readonly: true });
    try {
      const runs = db.prepare('SELECT id, status FROM runs').all();
      expect(runs).toEqual([{ id: 1, status: 'finished' }]);
      // The equity record goes on in time order across the restart, with no bar twice.
      const times = (db.prepare("SELECT time FROM equity WHERE run_id = 1 AND strategy_id = '' ORDER BY seq").all() as { time: number }[]).map((r) => r.time);
      expect(times).toEqual([...new Set(times)].sort((a, b) => a - b));
      expect(times.at(-1)).toBeGreaterThan(held.time);
      // Trades that opened before the kill and closed after it are booked as one trade.
      const trades = db.prepare('SELECT entry_time AS entry, exit_time AS exit FROM trades WHERE run_id = 1').all() as { entry: number; exit: number }[];
      for (const t of trades) expect(t.exit).toBeGreaterThanOrEqual(t.entry);
    } finally {
      db.close();
    }
  });

  it('with --new-session starts a new run, keeping the unfinished one as interrupted', { timeout: 180_000 }, async () => {
    // A session that is killed after its first checkpoint, in a journal of its own.
    const first = startRunner('--journal', 'set-aside.db');
    const from = await sessionLiveFrom(first.err);
    cursor = Math.max(cursor, rows.findIndex((row) => row[0] >= from));
    await server.subscribed('btcusdt@kline_1m');
    const firstBar = rows[cursor]!;
    push(firstBar);
    server.pushKline('BTCUSDT', '1m', openingState(rows[cursor + 1]!), false);
    await expect.poll(() => checkpointTime('set-aside.db'), { timeout: 30_000 }).toBe(firstBar[0]);
    first.child.kill('SIGKILL');
    await first.output;

    const connections = server.connections;
    const second = startRunner('--journal', 'set-aside.db', '--new-session', '--bars', '3');
    await expect.poll(() => server.connections, { timeout: 30_000 }).toBeGreaterThan(connections);
    await server.subscribed('btcusdt@kline_1m');
    for (let i = 1; i <= 4; i++) push(rows[cursor + i]!);
    const { code, out, err } = await second.output;
    expect(code, `${out}\n${err}`).toBe(0);
    expect(err).toContain('paper run 1 was left unfinished; it is kept as interrupted and a new session starts (--new-session)');
    expect(err).not.toContain('resuming paper run');
    const db = new Database(join(dir, 'set-aside.db'), { readonly: true });
    try {
      expect(db.prepare('SELECT id, status FROM runs ORDER BY id').all()).toEqual([
        { id: 1, status: 'interrupted' },
        { id: 2, status: 'finished' },
      ]);
      // The set-aside run keeps its checkpoint; the new one wrote its own, later.
      const checkpoints = db.prepare('SELECT run_id AS run, time FROM checkpoints ORDER BY run_id').all() as { run: number; time: number }[];
      expect(checkpoints.map((c) => c.run)).toEqual([1, 2]);
      expect(checkpoints[0]!.time).toBe(firstBar[0]);
      expect(checkpoints[1]!.time).toBeGreaterThan(firstBar[0]);
    } finally {
      db.close();
    }
  });

  it('refuses --new-session for a backtest, saying why', async () => {
    const child = spawn(process.execPath, [cli, 'backtest', '--new-session', '--plugin-dir', pluginsDir, '--no-journal', '--no-report'], { cwd: dir });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect([code, err]).toEqual([2, expect.stringContaining('--new-session does not apply to backtest; it is for paper, live and run (a backtest always starts a new run)')]);
  });
});
