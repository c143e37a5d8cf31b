import type { ParamValues } from '@trading-orchestrator/plugin-api';
import { makeSampler, paramsKey, type ResolvedSpace } from '@trading-orchestrator/research';
import type { OptimizeSection } from './optimize-config.js';
import type { TrialExecutor } from './trial-executor.js';
import type { Objective } from './objective.js';
import { judge, type TrialOutcome, type TrialSpan } from './trial.js';

export interface FinishedTrial {
  readonly seq: number;
  readonly values: ParamValues;
  readonly outcome: TrialOutcome;
  /** Read back from the journal of an interrupted sweep instead of run again. */
  readonly replayed: boolean;
}

/** Where a sweep's trials are kept as they finish, and found again when it resumes. */
export interface TrialLog {
  recorded(window: number, seq: number): { readonly values: ParamValues; readonly outcome: TrialOutcome } | undefined;
  record(window: number, trial: FinishedTrial): void;
}

/** A sweep's search, what it maximises, and where its trials run. */
export interface SweepSetup {
  readonly optimize: OptimizeSection;
  readonly space: ResolvedSpace;
  readonly objective: Objective;
  readonly executor: TrialExecutor;
}

export interface SweepRun {
  readonly window: number;
  readonly span: TrialSpan;
  readonly log?: TrialLog;
  /** After each trial, with every trial so far. */
  readonly onTrial?: (trial: FinishedTrial, all: readonly FinishedTrial[]) => void;
}

/** The best measured trial: highest score, the earlier on a tie. */
export function bestTrial(trials: readonly FinishedTrial[]): FinishedTrial | undefined {
  let best: FinishedTrial | undefined;
  for (const t of trials) if (t.outcome.status === 'ok' && (best === undefined || t.outcome.score > best.outcome.score)) best = t;
  return best;
}

/**
 * How many trials are proposed before the sampler hears how they did. TPE's proposals depend on it, so it is the
 * run file's `batch` whatever runs them (the same trials on one thread, two, or a queue); grid and random search do
 * not learn, so their batches only keep every thread busy.
 */
export function batchSize(optimize: OptimizeSection, parallel: number): number {
  return optimize.method === 'tpe' ? optimize.batch : Math.max(optimize.batch, 4 * parallel);
}

/**
 * Tries up to `optimize.trials` combinations over one span, a batch at a time, the batch's trials running at once on
 * the executor. Trials already in the log are replayed into the sampler in their order, not run: with the same seed
 * the sampler then proposes what it proposed before, so a resumed sweep continues as if it had never stopped. Each
 * trial is logged as soon as it finishes.
 */
export async function runSweep(setup: SweepSetup, run: SweepRun): Promise<FinishedTrial[]> {
  const { optimize, executor } = setup;
  // Each walk-forward window gets its own sequence of draws.
  const sampler = makeSampler(optimize.method, setup.space, optimize.seed + run.window * 7_919, optimize.trials);
  const size = batchSize(optimize, executor.parallel);
  const trials: FinishedTrial[] = [];
  for (let seq = 0; seq < optimize.trials; ) {
    const batch: { seq: number; values: ParamValues }[] = [];
    while (batch.length < size && seq < optimize.trials) {
      const values = sampler.ask();
      if (values === undefined) break;
      batch.push({ seq: seq++, values });
    }
    if (batch.length === 0) break;
    const finished = await Promise.all(
      batch.map(async ({ seq: at, values }): Promise<FinishedTrial> => {
        const kept = run.log?.recorded(run.window, at);
        if (kept !== undefined && paramsKey(kept.values) === paramsKey(values)) return { seq: at, values, outcome: kept.outcome, replayed: true };
        const trial = { seq: at, values, outcome: judge(await executor.run(values, run.span), setup.objective, optimize.constraints), replayed: false };
        run.log?.record(run.window, trial);
        return trial;
      }),
    );
    for (const trial of finished) {
      sampler.tell(trial.values, trial.outcome.score);
      trials.push(trial);
      run.onTrial?.(trial, trials);
    }
  }
  return trials;
}
