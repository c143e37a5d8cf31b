import { backtestOverfitting, deflatedSharpe, returnMoments } from '@trading-orchestrator/research';
import type { FinishedTrial } from './sweep.js';

export interface SweepGuards {
  /** Trials whose returns were measured (rejected ones included: they were tried, and a search that tries more finds more by luck). */
  readonly trials: number;
  readonly deflatedSharpe?: {
    readonly probability: number;
    /** The annualised Sharpe ratio the best of this many luckless trials would show. */
    readonly expectedMaxSharpe: number;
    /** The chosen trial's, annualised the same way (days with bars per year). */
    readonly sharpe: number;
  };
  readonly overfitting?: { readonly probability: number; readonly splits: number; readonly partitions: number };
  /** Why a guard could not be computed. */
  readonly notes: readonly string[];
}

/**
 * The overfitting guards of a sweep's result: the deflated Sharpe ratio of the chosen trial given every trial made,
 * and the probability of backtest overfitting by CSCV over the trials' daily returns. Both use Sharpe ratios of
 * daily returns (the common grid of all trials), whatever the sweep's objective.
 */
export function sweepGuards(trials: readonly FinishedTrial[], best: FinishedTrial | undefined, partitions: number): SweepGuards {
  const measured = trials.filter((t) => t.outcome.returns.values.length >= 4);
  const notes: string[] = [];
  if (best === undefined || measured.length < 2) {
    notes.push(measured.length < 2 ? 'fewer than two trials were measured over four days or more' : 'no trial met the constraints');
    return { trials: measured.length, notes };
  }
  const own = best.outcome.returns;
  const days = own.days.length === 0 ? 1 : own.days[own.days.length - 1]! - own.days[0]! + 1;
  const perYear = (own.values.length / days) * 365.25;
  const moments = measured.map((t) => returnMoments(t.outcome.returns.values));
  const sharpes = moments.map((m) => m.sharpe);
  const mean = sharpes.reduce((a, b) => a + b, 0) / sharpes.length;
  const variance = sharpes.reduce((a, s) => a + (s - mean) ** 2, 0) / (sharpes.length - 1);
  const mine = returnMoments(own.values);
  const dsr = deflatedSharpe({ sharpe: mine.sharpe, observations: mine.count, skewness: mine.skewness, kurtosis: mine.kurtosis, trials: measured.length, sharpeVariance: variance });
  const deflated = Number.isNaN(dsr.probability) ? undefined : { probability: dsr.probability, expectedMaxSharpe: dsr.expectedMaxSharpe * Math.sqrt(perYear), sharpe: mine.sharpe * Math.sqrt(perYear) };
  if (deflated === undefined) notes.push('the deflated Sharpe ratio is undefined for these returns (too few, or too skewed for the formula)');
  const length = Math.min(...measured.map((t) => t.outcome.returns.values.length));
  const pbo = backtestOverfitting(
    measured.map((t) => t.outcome.returns.values.slice(0, length)),
    { partitions },
  );
  if (pbo === undefined) notes.push('the probability of backtest overfitting needs two trials over four days or more');
  return {
    trials: measured.length,
    ...(deflated === undefined ? {} : { deflatedSharpe: deflated }),
    ...(pbo === undefined ? {} : { overfitting: { probability: pbo.probability, splits: pbo.splits, partitions: pbo.partitions } }),
    notes,
  };
}
