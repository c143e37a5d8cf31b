import { join } from 'node:path';
import { Piscina } from 'piscina';
import { runnerPackageDir } from '../project.js';
import type { RunConfig } from '../config/run-config.js';
import type { OptimizeSection } from './optimize-config.js';
import type { SharedSeries } from './bar-columns.js';
import type { Tunable } from './sweep-space.js';
import type { TrialExecutor } from './trial-executor.js';
import type { TrialOutcome } from './trial.js';

/** What every worker thread is started with: how to find the plugins, the run, and the sweep's shared bars. */
export interface WorkerSetup {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly discovery: { readonly project?: string; readonly pluginPaths: readonly string[]; readonly pluginDirs: readonly string[]; readonly noCache: boolean };
  readonly file: string;
  readonly config: RunConfig;
  readonly optimize: OptimizeSection;
  readonly targets: readonly [string, { readonly entry: Tunable; readonly key: string }][];
  readonly series: readonly SharedSeries[];
}

/** The built worker entry beside the CLI (dist/trial-worker.js). */
export const TRIAL_WORKER = join(runnerPackageDir(), 'dist', 'trial-worker.js');

/**
 * Trials on `threads` worker threads (piscina). Each thread loads the runner and the plugins once, then runs trials
 * on the bars the coordinator loaded, which it reads from shared memory: the bars are not copied per thread or per
 * trial, and a trial's answer is a few numbers and its daily returns.
 */
export function threadPool(setup: WorkerSetup, threads: number): TrialExecutor {
  const pool = new Piscina({ filename: TRIAL_WORKER, minThreads: threads, maxThreads: threads, idleTimeout: 60_000, workerData: setup });
  let closing: Promise<void> | undefined;
  return {
    parallel: threads,
    run: (values, span) => pool.run({ values, span }) as Promise<TrialOutcome>,
    // Ctrl-C closes it at once (the trials in progress are abandoned), and the command closes it again at the end.
    close: () => (closing ??= pool.destroy()),
  };
}

