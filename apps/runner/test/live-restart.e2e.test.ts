import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FakeBinance, KlineRow } from '@trading-orchestrator/data-binance/testing';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli-harness.js';
import { openingState, startPresentDayBinance } from './present-day-binance.js';

/**
 * A live session killed with SIGKILL while an order is filled at the venue but not yet booked, and started again
 * with the same run file: it resumes the same run from its checkpoint, books the venue trade it missed, and goes on;
 * afterwards the journal and the venue agree on every order and trade, none twice.
 */
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const pluginsDir = fileURLToPath(new URL('../../../plugins', import.meta.url));
const WARMUP = 60;
const API_KEY = 'kP3mX8vN2bQ7wR4tY9uE1iO6aS5dF0gH';
const SECRET = 'Lz7Kx2Cv9Bn4Mq8Wf3Er6Ty1Ui5Op0AsDg7Hj2Kl9Zx4Cv8Bn3M';
const children: ChildProcess[] = [];

let server: FakeBinance;
let dir: string;
let rows: readonly KlineRow[];
let runFile: (pollMs: number, stream: boolean) => void;

function startSession() {
  const child = spawn(process.execPath, [cli, 'live', '--config', 'live.yaml', '--plugin-dir', pluginsDir, '--confirm-live'], {
    cwd: dir,
    env: { ...process.env, CI: 'true', TEST_BINANCE_KEY: API_KEY, TEST_BINANCE_SECRET: SECRET },
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, out, err })));
  return { child, exited, err: () => err, out: () => out };
}

async function until(what: string, test: () => boolean | Promise<boolean>, said: () => string, step?: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${said()}`);
    await (step?.() ?? new Promise((r) => setTimeout(r, 50)));
  }
}

/** Rows of the live journal, read while the session may be writing it. */
function journal<T>(sql: string): T[] {
  const db = new Database(join(dir, 'live.db'), { readonly: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  ({ server, dir, rows } = await startPresentDayBinance({ warmup: WARMUP, live: 300, account: { apiKey: API_KEY, secret: SECRET, balances: { USDT: 20_000, BTC: 0 } } }));
  const paper = readFileSync(join(dir, 'paper.yaml'), 'utf8');
  runFile = (pollMs, stream) => {
    const broker = `broker:\n  plugin: broker-ccxt\n  config: { apiKey: "\${TEST_BINANCE_KEY}", secret: "\${TEST_BINANCE_SECRET}", urls: { rest: "${server.restUrl}", ws: "${server.wsApiUrl}" }, pollMs: ${pollMs}, stream: ${stream} }\n`;
    writeFileSync(join(dir, 'live.yaml'), `${paper.replace('mode: paper', 'mode: live').replace('capital: 100000', 'capital: 10000')}${broker}journal: live.db\nreport: false\n`);
  };
});

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  server?.close();
});

describe('a live session killed mid-order and started again', () => {
  it('resumes its run, books the fill it missed, and never sends an order twice', { timeout: 240_000 }, async () => {
    let next = WARMUP;
    const push = async () => {
      const row = rows[next++];
      if (row === undefined) throw new Error('out of bars');
      server.pushKline('BTCUSDT', '1m', openingState(row), false);
      server.pushKline('BTCUSDT', '1m', row, true);
      await new Promise((r) => setTimeout(r, 300));
    };
    // The first process neither polls the venue nor follows its private stream: its orders go out, their fills stay
    // unbooked (as when it dies between an order's fill and the report that would have told it).
    runFile(3_600_000, false);
    const first = startSession();
    await until('the first session live', () => /^live from /m.test(first.err()), first.err);
    await until('an order filled at the venue and journaled by the session', () => server.account!.allOrders().some((o) => o['status'] === 'FILLED') && journal('SELECT 1 FROM orders').length > 0, first.err, push);
    first.child.kill('SIGKILL');
    const killed = await first.exited;
    expect(killed.signal).toBe('SIGKILL');
    expect(journal('SELECT 1 FROM fills')).toEqual([]);
    const venueOrder = server.account!.allOrders()[0]!;

    runFile(100, true);
    const second = startSession();
    await until('the second session live', () => /^live from /m.test(second.err()), second.err);
    const said = second.err();
    expect(said).toMatch(/^resuming live run 1 from its checkpoint after the bar of .*, 1 working order \(--new-session starts over instead\)$/m);
    const trade = server.account!.allTrades()[0]!;
    expect(said).toContain(`reconciliation (start) booked a venue trade the session had missed: ${trade['id']}, order ${venueOrder['clientOrderId']}, buy`);
    expect(said).not.toContain('mismatch');
    // It goes on: the position it took over is closed by the strategy at the venue, and that fill is booked too.
    await until('the exit at the venue', () => server.account!.allOrders().filter((o) => o['status'] === 'FILLED').length >= 2, second.err, push);
    await until('every venue trade booked', () => journal('SELECT 1 FROM fills').length === server.account!.allTrades().length, second.err, push);
    expect((await runCli(dir, 'ctl', 'stop', '--config', 'live.yaml')).code).toBe(0);
    await push();
    const done = await second.exited;
    expect(done.code, done.err).toBe(0);

    // One run, resumed; every venue trade booked once under its own trade id; every order sent once.
    expect(journal<{ status: string }>('SELECT status FROM runs')).toEqual([{ status: 'finished' }]);
    const booked = journal<{ tradeId: string; orderId: string }>('SELECT trade_id AS tradeId, order_id AS orderId FROM fills ORDER BY seq');
    const venueTrades = server.account!.allTrades();
    expect(booked.map((f) => f.tradeId).sort()).toEqual(venueTrades.map((t) => String(t['id'])).sort());
    const clientIds = server.account!.allOrders().map((o) => String(o['clientOrderId']));
    expect(new Set(clientIds).size).toBe(clientIds.length);
    expect(journal<{ message: string }>("SELECT message FROM plugin_events WHERE message LIKE '%mismatch%'")).toEqual([]);
  });
});
