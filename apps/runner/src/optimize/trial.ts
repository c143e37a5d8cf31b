import type { PerformanceMetrics } from '@trading-orchestrator/engine';
import { timeframeToMs, type ParamValues } from '@trading-orchestrator/plugin-api';
import type { PluginCatalog } from '@trading-orchestrator/registry';
import { runBacktest, type RunHooks } from '../commands/run-backtest.js';
import { RunInterruptedError } from '../commands/interruption.js';
import type { RunConfig } from '../config/run-config.js';
import type { Objective } from './objective.js';
import type { OptimizeSection } from './optimize-config.js';
import { withValues, type SweepTargets } from './sweep-space.js';
import { WindowRecorder, type DailyReturns } from './window-recorder.js';

const YEAR_MS = 365.25 * 86_400_000;

/** The bars a trial runs over; before `tradeFrom` they only warm the strategies up and are not measured. */
export interface TrialSpan {
  readonly start: number;
  readonly end: number;
  readonly tradeFrom?: number;
}

/** The figures a trial is judged and shown by. */
export interface TrialMetrics {
  readonly totalReturn: number;
  readonly cagr: number;
  readonly sharpe: number;
  readonly sortino: number;
  readonly calmar: number;
  readonly profitFactor: number;
  readonly returnOverDrawdown: number;
  readonly maxDrawdown: number;
  readonly trades: number;
  readonly winRate: number;
}

export interface TrialOutcome {
  /** ok: measured (and, once judged, within the constraints); rejected: broke a constraint or its objective is undefined; failed: the backtest did not finish. */
  readonly status: 'ok' | 'rejected' | 'failed';
  /** The objective's value once judged; -Infinity for a rejected or failed trial, which is what the sampler is told. */
  readonly score: number;
  readonly metrics: TrialMetrics | undefined;
  /** The account's return day by day over the measured span. */
  readonly returns: DailyReturns;
  /** Why it was rejected or failed. */
  readonly reason?: string;
  readonly elapsedMs: number;
}

function trialMetrics(m: PerformanceMetrics): TrialMetrics {
  const depth = m.maxDrawdown.depth;
  return {
    totalReturn: m.totalReturn,
    cagr: m.cagr,
    sharpe: m.sharpe,
    sortino: m.sortino,
    calmar: m.calmar,
    profitFactor: m.profitFactor,
    returnOverDrawdown: depth > 0 ? m.totalReturn / depth : m.totalReturn > 0 ? Number.POSITIVE_INFINITY : 0,
    maxDrawdown: depth,
    trades: m.trades,
    winRate: m.winRate,
  };
}

type Verdict = Pick<TrialOutcome, 'status' | 'score' | 'reason'>;

function verdictOf(metrics: TrialMetrics | undefined, returns: DailyReturns, objective: Objective, constraints: OptimizeSection['constraints']): Verdict {
  if (metrics === undefined) return { status: 'rejected', score: Number.NEGATIVE_INFINITY, reason: 'fewer than two bars were measured' };
  const { minTrades, maxDrawdown } = constraints;
  if (metrics.trades < minTrades) return { status: 'rejected', score: Number.NEGATIVE_INFINITY, reason: `${metrics.trades} closed trade${metrics.trades === 1 ? '' : 's'}, fewer than constraints.minTrades (${minTrades})` };
  if (maxDrawdown !== undefined && metrics.maxDrawdown > maxDrawdown) return { status: 'rejected', score: Number.NEGATIVE_INFINITY, reason: `drawdown ${(metrics.maxDrawdown * 100).toFixed(1)}% is deeper than constraints.maxDrawdown (${(maxDrawdown * 100).toFixed(1)}%)` };
  let score: number;
  try {
    score = objective.score({ metrics, returns });
  } catch (error) {
    return { status: 'rejected', score: Number.NEGATIVE_INFINITY, reason: `the objective failed: ${(error as Error).message}` };
  }
  if (Number.isNaN(score)) return { status: 'rejected', score: Number.NEGATIVE_INFINITY, reason: `its ${objective.name} is undefined${objective.name === 'calmar' || objective.name === 'cagr' ? ' (it needs at least 90 days)' : ''}` };
  return { status: 'ok', score };
}

/**
 * A measured trial judged against the sweep's constraints and objective: in the coordinator, which alone needs the
 * objective (a module of the user's included). A failed trial stays failed.
 */
export function judge(outcome: TrialOutcome, objective: Objective, constraints: OptimizeSection['constraints']): TrialOutcome {
  if (outcome.status === 'failed') return { ...outcome, score: Number.NEGATIVE_INFINITY };
  const { reason: _, ...measured } = outcome;
  return { ...measured, ...verdictOf(outcome.metrics, outcome.returns, objective, constraints) };
}

/** What a trial needs besides its values: the same in the coordinator and in a worker thread or process. */
export interface TrialContext {
  readonly config: RunConfig;
  readonly optimize: OptimizeSection;
  readonly targets: SweepTargets;
  readonly catalog: PluginCatalog;
  readonly file: string;
  /** The sweep's bars, loaded once: a `BarsMemo` in this process, `SharedBars` in a worker. */
  readonly bars: { readonly history: NonNullable<RunHooks['history']> };
  readonly signal?: AbortSignal;
}

/**
 * One backtest with a trial's values, over `span`, on the sweep's shared bars. A plugin config the values make
 * invalid, or a run that fails, is a failed trial with its reason; Ctrl-C is not a trial result and is thrown.
 */
export async function runTrial(ctx: TrialContext, values: ParamValues, span: TrialSpan): Promise<TrialOutcome> {
  const started = performance.now();
  const config: RunConfig = { ...withValues(ctx.config, ctx.targets, values), start: new Date(span.start).toISOString(), end: new Date(span.end).toISOString() };
  const from = span.tradeFrom ?? span.start;
  const recorder = new WindowRecorder(from, span.end, { periodsPerYear: config.periodsPerYear ?? YEAR_MS / timeframeToMs(config.timeframe), riskFreeRate: config.riskFreeRate });
  try {
    const outcome = await runBacktest(config, ctx.catalog, ctx.file, {
      history: ctx.bars.history,
      attach: (bus) => recorder.attach(bus),
      ...(span.tradeFrom === undefined ? {} : { tradeFrom: span.tradeFrom }),
      ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
    });
    if (outcome.result.interrupted) throw new RunInterruptedError('a trial of the sweep');
    // Over the whole run the engine's own metrics are exact (exposure included); a test span's come from its points.
    const measured = span.tradeFrom === undefined ? outcome.result.metrics : recorder.metrics();
    const metrics = measured === undefined ? undefined : trialMetrics(measured);
    // Judged by the coordinator (`judge`), which alone has the objective.
    return { status: 'ok', score: Number.NaN, metrics, returns: recorder.dailyReturns(), elapsedMs: performance.now() - started };
  } catch (error) {
    if (error instanceof RunInterruptedError || ctx.signal?.aborted === true) throw error;
    return { status: 'failed', score: Number.NEGATIVE_INFINITY, metrics: undefined, returns: { days: [], values: [] }, reason: (error as Error).message ?? String(error), elapsedMs: performance.now() - started };
  }
}
