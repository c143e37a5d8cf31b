// How the runner's benchmarks run what they measure: each run in a process of its own, and a journal file for the
// runs that keep one.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
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
