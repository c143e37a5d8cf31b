import type { ParamValues } from '@trading-orchestrator/plugin-api';
import { runTrial, type TrialContext, type TrialOutcome, type TrialSpan } from './trial.js';

/** Where a sweep's trials run: here, in worker threads, or on a queue that workers on other machines consume. */
export interface TrialExecutor {
  /** How many trials it runs at once. */
  readonly parallel: number;
  run(values: ParamValues, span: TrialSpan): Promise<TrialOutcome>;
  close(): Promise<void>;
}

/** Trials one after another in this process, on the bars it loaded. */
export function inProcess(ctx: TrialContext): TrialExecutor {
  return { parallel: 1, run: (values, span) => runTrial(ctx, values, span), close: async () => undefined };
}
