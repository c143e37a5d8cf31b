import { normalCdf, normalQuantile } from './normal.js';

const EULER_GAMMA = 0.5772156649015329;

/**
 * The Sharpe ratio the best of `trials` independent strategies with no skill would show, given the variance of
 * their Sharpe ratios (Bailey and López de Prado, 2014, eq. 2, by the false strategy theorem). Zero for one trial.
 */
export function expectedMaxSharpe(trials: number, sharpeVariance: number): number {
  if (trials <= 1 || !(sharpeVariance > 0)) return 0;
  const z1 = normalQuantile(1 - 1 / trials);
  const z2 = normalQuantile(1 - 1 / (trials * Math.E));
  return Math.sqrt(sharpeVariance) * ((1 - EULER_GAMMA) * z1 + EULER_GAMMA * z2);
}

/**
 * The probabilistic Sharpe ratio: the probability that the true Sharpe ratio exceeds `benchmark`, given the
 * estimate's `observations`, skewness and (non-excess) kurtosis. Sharpe ratios per period, not annualised.
 */
export function probabilisticSharpe(sharpe: number, benchmark: number, observations: number, skewness: number, kurtosis: number): number {
  if (observations < 2) return Number.NaN;
  const spread = 1 - skewness * sharpe + ((kurtosis - 1) / 4) * sharpe * sharpe;
  if (!(spread > 0)) return Number.NaN;
  return normalCdf(((sharpe - benchmark) * Math.sqrt(observations - 1)) / Math.sqrt(spread));
}

export interface DeflatedSharpeInput {
  /** The chosen trial's Sharpe ratio per period (not annualised). */
  readonly sharpe: number;
  /** Its number of returns. */
  readonly observations: number;
  readonly skewness: number;
  /** Non-excess kurtosis (3 for normal returns). */
  readonly kurtosis: number;
  /** How many configurations were tried. */
  readonly trials: number;
  /** Variance of the trials' per-period Sharpe ratios. */
  readonly sharpeVariance: number;
}

export interface DeflatedSharpe {
  /** The probability that the chosen trial's true Sharpe ratio is above zero after allowing for the search. */
  readonly probability: number;
  /** The best Sharpe ratio (per period) the search would show by luck alone: the benchmark it is tested against. */
  readonly expectedMaxSharpe: number;
}

/** The deflated Sharpe ratio (Bailey and López de Prado, 2014): the PSR against the expected maximum of the trials. */
export function deflatedSharpe(input: DeflatedSharpeInput): DeflatedSharpe {
  const benchmark = expectedMaxSharpe(input.trials, input.sharpeVariance);
  return { probability: probabilisticSharpe(input.sharpe, benchmark, input.observations, input.skewness, input.kurtosis), expectedMaxSharpe: benchmark };
}
