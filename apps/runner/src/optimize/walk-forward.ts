import type { ParamValues } from '@trading-orchestrator/plugin-api';
import { parameterStability, returnMoments, walkForwardWindows, type ParamStability, type WalkForwardWindow } from '@trading-orchestrator/research';
import { bestTrial, runSweep, type FinishedTrial, type SweepRun, type SweepSetup } from './sweep.js';
import { sweepGuards, type SweepGuards } from './sweep-guards.js';
import type { TrialOutcome } from './trial.js';

const DAY = 86_400_000;

export interface WindowResult {
  readonly window: WalkForwardWindow;
  readonly trials: readonly FinishedTrial[];
  /** The in-sample winner; undefined when no trial met the constraints. */
  readonly chosen?: FinishedTrial;
  /** The winner's settings run over the test span (warmed up on the in-sample bars before it). */
  readonly test?: TrialOutcome;
  /** The overfitting guards of the window's in-sample sweep. */
  readonly guards: SweepGuards;
}

export interface WalkForwardResult {
  readonly windows: readonly WindowResult[];
  /** The test spans' daily returns one after another, as one account would have earned them. */
  readonly stitched: { readonly days: readonly number[]; readonly values: readonly number[] };
  readonly totalReturn: number;
  /** Annualised over days with bars, like the trials' daily returns. */
  readonly sharpe: number;
  readonly maxDrawdown: number;
  /**
   * Annualised out-of-sample return over the mean annualised in-sample return of the chosen trials (Pardo): near 1,
   * the settings kept what they promised; near 0 or below, the in-sample result was mostly fit to noise.
   */
  readonly efficiency: number;
  readonly stability: readonly ParamStability[];
}

const annualised = (total: number, days: number) => (days > 0 ? (1 + total) ** (365.25 / days) - 1 : Number.NaN);

/**
 * Walk-forward analysis: in each window a sweep over the in-sample span chooses settings, which are then run over
 * the test span after it. The test run starts at the in-sample start, so indicators are warm, and trades only from
 * the test span's start; only the test span is measured. Window n's trials are logged as window n + 1 (0 is a plain
 * sweep), its test as trial -1 of that window.
 */
export async function runWalkForward(setup: SweepSetup, plan: { start: number; end: number; inSampleDays: number; outOfSampleDays: number; anchored: boolean }, run: Omit<SweepRun, 'window' | 'span'> & { onWindow?: (result: WindowResult) => void }): Promise<WalkForwardResult> {
  const windows = walkForwardWindows({ start: plan.start, end: plan.end, inSampleMs: plan.inSampleDays * DAY, outOfSampleMs: plan.outOfSampleDays * DAY, anchored: plan.anchored });
  const results: WindowResult[] = [];
  for (const window of windows) {
    const index = window.index + 1;
    const trials = await runSweep(setup, { ...run, window: index, span: window.inSample });
    const chosen = bestTrial(trials);
    let result: WindowResult = { window, trials, guards: sweepGuards(trials, chosen, setup.optimize.partitions), ...(chosen === undefined ? {} : { chosen }) };
    if (chosen !== undefined) {
      const kept = run.log?.recorded(index, -1);
      const test = kept !== undefined ? kept.outcome : await setup.executor.run(chosen.values, { start: window.inSample.start, end: window.outOfSample.end, tradeFrom: window.outOfSample.start });
      if (kept === undefined) run.log?.record(index, { seq: -1, values: chosen.values, outcome: test, replayed: false });
      result = { ...result, test };
    }
    results.push(result);
    run.onWindow?.(result);
  }
  const days: number[] = [];
  const values: number[] = [];
  for (const r of results) {
    if (r.test === undefined) continue;
    days.push(...r.test.returns.days);
    values.push(...r.test.returns.values);
  }
  let equity = 1;
  let peak = 1;
  let maxDrawdown = 0;
  for (const v of values) {
    equity *= 1 + v;
    peak = Math.max(peak, equity);
    maxDrawdown = Math.max(maxDrawdown, (peak - equity) / peak);
  }
  const spanDays = days.length === 0 ? 0 : days[days.length - 1]! - days[0]! + 1;
  const perYear = spanDays > 0 ? (values.length / spanDays) * 365.25 : 0;
  const tested = results.filter((r) => r.chosen?.outcome.metrics !== undefined && r.test !== undefined);
  const inSampleAnnual = tested.map((r) => annualised(r.chosen!.outcome.metrics!.totalReturn, (r.window.inSample.end - r.window.inSample.start) / DAY));
  const meanInSample = inSampleAnnual.reduce((a, b) => a + b, 0) / Math.max(1, inSampleAnnual.length);
  const outOfSample = annualised(equity - 1, spanDays);
  const chosen = results.flatMap((r) => (r.chosen === undefined ? [] : [r.chosen.values as ParamValues]));
  return {
    windows: results,
    stitched: { days, values },
    totalReturn: equity - 1,
    sharpe: returnMoments(values).sharpe * Math.sqrt(perYear),
    maxDrawdown,
    efficiency: meanInSample > 0 ? outOfSample / meanInSample : Number.NaN,
    stability: parameterStability(setup.space, chosen),
  };
}
