// How the runner's benchmarks run what they measure: each run in a process of its own, the runs interleaved over
// rounds, and a journal file for the runs that keep one.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `measure(run)` in a fresh process running `script` with BENCH_RUN=run (the script prints the result as JSON):
 * in a shared one, whichever run comes later finds the plugins' code already optimised and the heap already grown
 * (the engine measured up to 25% faster after another run than before it). SAME_PROCESS=1 runs it here instead.
 */
export function inOwnProcess(script, run, measure) {
  if (process.env.SAME_PROCESS === '1') return measure(run);
  const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(script)], { env: { ...process.env, BENCH_RUN: run }, stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 });
  if (child.status !== 0) throw new Error(`the ${run} run failed (exit ${child.status})`);
  return JSON.parse(child.stdout.toString());
}

/** `use(path)` with the journal file JOURNAL names (kept), or one in a temporary folder removed afterwards. */
export async function withJournalFile(use) {
  if (process.env.JOURNAL !== undefined) return use(process.env.JOURNAL);
  const dir = mkdtempSync(join(tmpdir(), 'to-bench-'));
  try {
    return await use(join(dir, 'bench.db'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Every run of `runs` (names), REPEAT times (default 1), interleaved: on a shared machine one run can be 20% off, and
 * the fastest of several is the steadier figure. Returns each run's fastest result and its seconds in every round
 * (a round's runs ran back to back, under much the same load).
 */
export async function interleavedRounds(runs, result) {
  const repeat = Number(process.env.REPEAT ?? 1);
  if (!(Number.isInteger(repeat) && repeat >= 1)) throw new Error(`REPEAT: "${process.env.REPEAT}" is not a whole number of at least 1`);
  const fastest = new Map();
  const rounds = new Map(runs.map((run) => [run, []]));
  for (let k = 0; k < repeat; k++) {
    for (const run of runs) {
      const r = await result(run);
      rounds.get(run).push(r.seconds);
      if (!fastest.has(run) || r.seconds < fastest.get(run).seconds) fastest.set(run, r);
    }
  }
  if (repeat > 1) console.log(`  (fastest of ${repeat} runs each, interleaved)`);
  return { repeat, fastest, rounds };
}

/** What a run left on disk at `path`: the database and any write-ahead log not yet folded into it. */
export function journalBytes(path) {
  return [path, `${path}-wal`].reduce((sum, f) => sum + (existsSync(f) ? statSync(f).size : 0), 0);
}

/** The journal's size for a result line, or nothing for a run without one. */
export function journalSize(bytes, bars) {
  return bytes === undefined ? '' : `   journal ${(bytes / 1e6).toFixed(1)} MB (${((bytes / bars) * 1e6 / 1e6).toFixed(1)} MB per million bars)`;
}
