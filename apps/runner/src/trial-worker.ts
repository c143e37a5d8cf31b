import { workerData } from 'node:worker_threads';
import type { ParamValues } from '@trading-orchestrator/plugin-api';
import { discover } from './cli/discover.js';
import { SharedBars } from './optimize/bar-columns.js';
import type { WorkerSetup } from './optimize/thread-pool.js';
import { runTrial, type TrialContext, type TrialOutcome, type TrialSpan } from './optimize/trial.js';

/** A worker thread of an optimisation: runs the trials the coordinator hands it (see optimize/thread-pool.ts). */
let context: Promise<TrialContext> | undefined;

async function setUp(setup: WorkerSetup): Promise<TrialContext> {
  const quiet = { write: () => true };
  const { catalog } = await discover(
    { ...(setup.discovery.project === undefined ? {} : { project: setup.discovery.project }), 'plugin-path': [...setup.discovery.pluginPaths], 'plugin-dir': [...setup.discovery.pluginDirs], 'no-cache': setup.discovery.noCache },
    { cwd: setup.cwd, env: setup.env, stdout: quiet, stderr: quiet },
  );
  return { config: setup.config, optimize: setup.optimize, targets: new Map(setup.targets), catalog, file: setup.file, bars: new SharedBars(setup.series) };
}

export default async function trial(task: { values: ParamValues; span: TrialSpan }): Promise<TrialOutcome> {
  context ??= setUp(workerData as WorkerSetup);
  return runTrial(await context, task.values, task.span);
}
