import type { ParamValues } from '@trading-orchestrator/plugin-api';
import { makeSampler, paramsKey } from '@trading-orchestrator/research';
import { runTrial, type TrialContext, type TrialOutcome, type TrialSpan } from './trial.js';

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
 * Tries up to `optimize.trials` combinations over one span. Trials already in the log are replayed into the sampler
 * in their order, not run: with the same seed the sampler then proposes what it proposed before, so a resumed sweep
 * continues as if it had never stopped.
 */
export async function runSweep(ctx: TrialContext, run: SweepRun): Promise<FinishedTrial[]> {
  const { optimize } = ctx;
  // Each walk-forward window gets its own sequence of draws.
  const sampler = makeSampler(optimize.method, ctx.sweep.space, optimize.seed + run.window * 7_919, optimize.trials);
  const trials: FinishedTrial[] = [];
  for (let seq = 0; seq < optimize.trials; seq++) {
    const values = sampler.ask();
    if (values === undefined) break;
    const kept = run.log?.recorded(run.window, seq);
    let trial: FinishedTrial;
    if (kept !== undefined && paramsKey(kept.values) === paramsKey(values)) trial = { seq, values, outcome: kept.outcome, replayed: true };
    else {
      trial = { seq, values, outcome: await runTrial(ctx, values, run.span), replayed: false };
      run.log?.record(run.window, trial);
    }
    sampler.tell(values, trial.outcome.score);
    trials.push(trial);
    run.onTrial?.(trial, trials);
  }
  return trials;
}
