import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli-harness.js';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const runnerDir = fileURLToPath(new URL('..', import.meta.url));
const redisServer = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).stdout.trim();

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

const untilLine = (child: ChildProcess, pattern: RegExp, log: { text: string }) =>
  new Promise<string>((resolve, reject) => {
    const onData = (d: Buffer) => {
      log.text += d.toString();
      const m = pattern.exec(log.text);
      if (m !== null) resolve(m[0]);
    };
    child.stderr!.on('data', onData);
    child.once('exit', () => reject(new Error(`exited before printing ${pattern}: ${log.text}`)));
  });

// Debian's redis-server, started by the test on 127.0.0.1 and stopped after (apt-get install redis-server).
describe.skipIf(redisServer === '')('a sweep on a Redis queue with worker processes', () => {
  let dir: string;
  let redis: ChildProcess;
  let url: string;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'to-queue-'));
    const port = await freePort();
    url = `redis://127.0.0.1:${port}`;
    redis = spawn(redisServer, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve) => redis.stdout!.on('data', (d: Buffer) => d.toString().includes('Ready to accept connections') && resolve()));
  }, 30_000);

  afterAll(() => {
    for (const w of workers) w.kill('SIGKILL');
    redis?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs every trial exactly once though a worker is killed mid-trial, with the results of a local sweep', async () => {
    // Minute bars of two symbols for 45 days: a trial takes long enough to be killed in the middle of.
    writeFileSync(
      join(dir, 'sweep.yaml'),
      ['data: { plugin: data-synthetic }', 'symbols: [ALPHA, BETA]', 'timeframe: 1m', 'start: 2020-01-01', 'end: 2020-02-15', 'strategies:', '  - plugin: ma-crossover', 'optimize:', '  method: tpe', '  trials: 24', '  batch: 6', '  constraints: { minTrades: 0 }', '  space: { ma-crossover.average: false }'].join('\n'),
    );
    const logs = [0, 1, 2].map(() => ({ text: '' }));
    for (let i = 0; i < 3; i++) {
      const w = spawn(process.execPath, [cli, 'worker', '--queue', url, '--project', runnerDir, '--lock-ms', '2000'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
      workers.push(w);
      await untilLine(w, /worker ready/, logs[i]!);
    }
    const coordinator = runCli(dir, 'optimize', '--config', 'sweep.yaml', '--project', runnerDir, '--no-cache', '--journal', 'queue.db', '--no-report', '--queue', url);
    // Kill the first worker as soon as it has started a trial.
    const victim = workers[0]!;
    const started = await untilLine(victim, /trial (\S+) started\n/, logs[0]!);
    victim.kill('SIGKILL');
    const jobId = /trial (\S+) started/.exec(started)![1]!;
    const { code, out, err } = await coordinator;
    expect(err).toContain(`trials go to the queue on ${url}, 6 at a time`);
    expect(code).toBe(0);
    expect(out).toMatch(/24 trials: \d+ measured/);
    // The killed worker's trial was taken over by another and finished there.
    expect(logs[1]!.text + logs[2]!.text).toContain(`trial ${jobId} ok`);
    // Each dataset reaches a worker once, not once per trial.
    for (const log of logs.slice(1)) expect(log.text.match(/fetched once/g)?.length ?? 0).toBeLessThanOrEqual(1);
    const db = new Database(join(dir, 'queue.db'), { readonly: true });
    const queued = db.prepare('SELECT seq, params, status, score FROM trials WHERE run_id = 1 ORDER BY seq').all() as { seq: number }[];
    db.close();
    expect(queued.map((t) => t.seq)).toEqual([...Array(24).keys()]);
    // The same sweep in this process gives the same trials and scores: nothing lost, nothing counted twice.
    const local = await runCli(dir, 'optimize', '--config', 'sweep.yaml', '--project', runnerDir, '--no-cache', '--journal', 'local.db', '--no-report', '--workers', '1');
    expect(local.code).toBe(0);
    const ldb = new Database(join(dir, 'local.db'), { readonly: true });
    expect(ldb.prepare('SELECT seq, params, status, score FROM trials WHERE run_id = 1 ORDER BY seq').all()).toEqual(queued);
    ldb.close();
  }, 240_000);

  it('says when the queue cannot be reached, or is not a Redis URL', async () => {
    writeFileSync(join(dir, 'small.yaml'), ['data: { plugin: data-synthetic }', 'symbols: [ALPHA]', 'timeframe: 1d', 'start: 2020-01-01', 'end: 2021-01-01', 'strategies:', '  - plugin: ma-crossover', 'optimize: { trials: 2 }'].join('\n'));
    const bad = await runCli(dir, 'optimize', '--config', 'small.yaml', '--project', runnerDir, '--no-journal', '--no-report', '--queue', 'http://example.com');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--queue must be a redis:// URL');
    const worker = await runCli(dir, 'worker', '--project', runnerDir);
    expect(worker.err).toContain('worker needs --queue redis://host:port');
  }, 60_000);
});
