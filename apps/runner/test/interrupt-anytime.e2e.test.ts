import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FakeBinance } from '@trading-orchestrator/data-binance/testing';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startPresentDayBinance } from './present-day-binance.js';

/** Ctrl-C works at every moment of a run: during start-up, and again when an orderly stop takes too long. */
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const runnerDir = fileURLToPath(new URL('..', import.meta.url));
const pluginsDir = fileURLToPath(new URL('../../../plugins', import.meta.url));
const slowStop = fileURLToPath(new URL('./fixtures/strategy-slow-stop', import.meta.url));

const children: ChildProcess[] = [];
const folders: string[] = [];
let server: FakeBinance | undefined;

function start(cwd: string, args: readonly string[]) {
  const child = spawn(process.execPath, [cli, ...args], { cwd, env: { ...process.env, CI: 'true' } });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; out: string; err: string }>((resolve) => child.on('exit', (code) => resolve({ code, out, err })));
  const said = (text: string) =>
    new Promise<void>((resolve) => {
      const look = () => (err.includes(text) ? resolve() : setTimeout(look, 20));
      look();
    });
  return { child, exited, said };
}

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  for (const f of folders.splice(0)) rmSync(f, { recursive: true, force: true });
});
afterAll(async () => server?.close());

describe('Ctrl-C at every moment', () => {
  it('during a paper session\'s warm-up download: the session stops at once, says so and exits 130, and leaves no run "running"', { timeout: 90_000 }, async () => {
    const market = await startPresentDayBinance({ warmup: 30, live: 0 });
    server = market.server;
    folders.push(market.dir);
    // The exchange accepts the history request and never answers it.
    server.fail('/api/v3/klines', { kind: 'stall' }, { kind: 'stall' }, { kind: 'stall' }, { kind: 'stall' });
    const session = start(market.dir, ['paper', '--config', 'paper.yaml', '--plugin-dir', pluginsDir, '--journal', 'paper.db', '--no-report']);
    while (!server.requests.some((r) => r.path === '/api/v3/klines')) await new Promise((r) => setTimeout(r, 20));
    session.child.kill('SIGINT');
    const { code, err } = await session.exited;
    expect(code, err).toBe(130);
    expect(err).toContain('stopping (Ctrl-C): the plugins are being stopped and the journal flushed; Ctrl-C again stops at once');
    expect(err).toContain('interrupted (Ctrl-C) during the warm-up download (BTC/USDT); the plugins were stopped and nothing was traded');
    expect(err).not.toMatch(/\n\s+at /);
    const db = new Database(join(market.dir, 'paper.db'), { readonly: true });
    expect(db.prepare("SELECT COUNT(*) AS n FROM runs WHERE status = 'running'").get()).toEqual({ n: 0 });
    db.close();
  });

  it('a second Ctrl-C while a plugin holds up the orderly stop: the run is marked interrupted, the journal closed, and the process ends with 130', { timeout: 90_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'to-interrupt-twice-'));
    folders.push(dir);
    writeFileSync(join(dir, 'long.yaml'), ['data: { plugin: data-synthetic }', 'symbols: [ALPHA, BETA, GAMMA]', 'timeframe: 1m', 'start: 2020-01-01', 'end: 2020-03-01', 'strategies:', '  - plugin: fixture-slow-stop'].join('\n'));
    const run = start(dir, ['backtest', '--config', 'long.yaml', '--project', runnerDir, '--plugin-path', slowStop, '--no-cache', '--journal', 'runs.db', '--no-report']);
    await run.said('progress: ');
    run.child.kill('SIGINT');
    await run.said('stopping (Ctrl-C)');
    // The engine stops after its bar; the strategy's stop hook then never returns.
    await new Promise((r) => setTimeout(r, 500));
    run.child.kill('SIGINT');
    const { code, err } = await run.exited;
    expect(code, err).toBe(130);
    expect(err).toContain('stopping now (second Ctrl-C): the journal is closed with the run marked interrupted');
    const db = new Database(join(dir, 'runs.db'), { readonly: true });
    expect(db.prepare('SELECT status FROM runs WHERE id = 1').get()).toEqual({ status: 'interrupted' });
    expect((db.prepare('SELECT COUNT(*) AS n FROM equity WHERE run_id = 1').get() as { n: number }).n).toBeGreaterThan(0);
    db.close();
  });
});
