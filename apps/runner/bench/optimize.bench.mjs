// Trials per second of `trading-orchestrator optimize` on one worker thread and on two, and what the bars cost each
// thread: shared columns against a copy of the bar objects per thread. Prints figures; asserts nothing.
//   node --expose-gc bench/optimize.bench.mjs        (TRIALS=96 DAYS=60 by default)
// Both runs put their trials in worker threads (TRADING_ORCHESTRATOR_THREAD_POOL=1 for the one-thread run), so the
// ratio is the pool's scaling; each thread's first trial also compiles the engine's code.
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const runnerDir = fileURLToPath(new URL('..', import.meta.url));
const trials = Number(process.env.TRIALS ?? 96);
const days = Number(process.env.DAYS ?? 60);
const dir = mkdtempSync(join(tmpdir(), 'to-bench-optimize-'));
const end = new Date(Date.UTC(2020, 0, 1) + days * 86_400_000).toISOString().slice(0, 10);
writeFileSync(
  join(dir, 'sweep.yaml'),
  ['data: { plugin: data-synthetic }', 'symbols: [ALPHA]', 'timeframe: 1m', 'start: 2020-01-01', `end: ${end}`, 'strategies:', '  - plugin: ma-crossover', 'optimize:', '  method: random', `  trials: ${trials}`, '  constraints: { minTrades: 0 }', '  space: { ma-crossover.average: false }'].join('\n'),
);

let runs = 0;
/** One sweep in its own process: its time, and the seconds its trials took inside the worker (from the journal). */
function sweep(workers, extra = [], pool = '1') {
  const started = performance.now();
  const env = { ...process.env, TRADING_ORCHESTRATOR_THREAD_POOL: pool };
  const journal = join(dir, `run-${++runs}.db`);
  const child = spawnSync(process.execPath, [cli, 'optimize', '--config', 'sweep.yaml', '--project', runnerDir, '--journal', journal, '--no-report', '--workers', String(workers), ...extra], { cwd: dir, encoding: 'utf8', env });
  if (child.status !== 0) throw new Error(`optimize --workers ${workers} failed: ${child.stderr}`);
  const seconds = (performance.now() - started) / 1000;
  const ran = Number(/(\d+) trials: /.exec(child.stdout)?.[1]);
  const inSweep = Number(/ · ([\d.]+) s/.exec(child.stdout)?.[1]);
  const db = new Database(journal, { readonly: true });
  const inTrials = db.prepare('SELECT SUM(elapsed_ms) AS ms FROM trials').get().ms / 1000;
  db.close();
  return { seconds, inSweep, ran, inTrials };
}

try {
  const bars = days * 1440;
  console.log(`optimize: ${trials} random trials of ma-crossover on ${bars.toLocaleString('en-US')} synthetic minute bars (${days} days)`);
  const one = sweep(1);
  const two = sweep(2);
  for (const [name, r] of [['1 thread ', one], ['2 threads', two]]) console.log(`  ${name}: ${(r.ran / r.inSweep).toFixed(2)} trials/s (${r.inSweep.toFixed(1)} s for the trials, ${r.seconds.toFixed(1)} s with start-up)`);
  console.log(`  2 threads / 1 thread: ${(one.inSweep / two.inSweep).toFixed(2)}x the trials per second (target >= 1.8x)`);

  // What one thread holds of the bars: with shared columns, nothing of its own (48 bytes a bar, once, for all
  // threads); with a copy, every bar as an object in its heap.
  globalThis.gc?.();
  const before = process.memoryUsage().heapUsed;
  const copy = [];
  for (let i = 0; i < bars; i++) copy.push({ symbol: 'ALPHA', timeframe: '1m', time: i * 60_000, open: 1 + i, high: 2 + i, low: i, close: 1.5 + i, volume: 10 + i });
  globalThis.gc?.();
  const copied = process.memoryUsage().heapUsed - before;
  console.log(`  bars per thread: shared ${(0).toFixed(1)} MB (the columns, ${((bars * 48) / 1e6).toFixed(1)} MB, exist once); copied ${(copied / 1e6).toFixed(1)} MB per thread (${Math.round(copied / bars)} bytes a bar, ${copy.length.toLocaleString("en-US")} bars)`);

  // The queue's cost per trial: one worker process taking the trials from Redis, against the same trials on one
  // worker thread (both build each trial's bars from shared columns and compile the engine once).
  const redisServer = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).stdout.trim();
  if (redisServer === '') console.log('  queue: skipped (no redis-server; apt-get install redis-server)');
  else {
    const port = await new Promise((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port: p } = server.address();
        server.close(() => resolve(p));
      });
    });
    const redis = spawn(redisServer, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'ignore'] });
    await new Promise((resolve) => redis.stdout.on('data', (d) => d.toString().includes('Ready to accept connections') && resolve()));
    const url = `redis://127.0.0.1:${port}`;
    const worker = spawn(process.execPath, [cli, 'worker', '--queue', url, '--project', runnerDir], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    await new Promise((resolve) => worker.stderr.on('data', (d) => d.toString().includes('worker ready') && resolve()));
    try {
      const queued = sweep(1, ['--queue', url]);
      // Outside the trials: the sweep's own time not spent inside a trial, per trial (handing the trial over, the
      // answer back, the search and the journal), which is what the queue adds to, measured in the same run.
      const outside = (r) => (((r.inSweep - r.inTrials) * 1000) / trials).toFixed(1);
      const added = (((queued.inSweep - queued.inTrials) - (one.inSweep - one.inTrials)) * 1000) / trials;
      console.log(`  queue, one worker process: ${queued.inSweep.toFixed(1)} s for ${trials} trials; outside the trials ${outside(queued)} ms a trial against ${outside(one)} ms on one worker thread: the queue adds ${added.toFixed(1)} ms a trial (target < 5 ms)`);
    } finally {
      worker.kill('SIGKILL');
      redis.kill('SIGKILL');
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
