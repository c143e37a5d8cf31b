import { RunningMetrics } from './running-metrics.js';

/** One point of the equity curve, sampled once per period (bar). */
export interface EquityPoint {
  readonly time: number;
  readonly equity: number;
  /** Whether any position was open during the period ending here. */
  readonly exposed: boolean;
}

/** A round trip, net of fees. */
export interface ClosedTrade {
  readonly pnl: number;
  readonly entryTime: number;
  readonly exitTime: number;
}

export interface MetricsOptions {
  /** Periods (bars) per year, to annualise: 252 for daily equities, 365 for daily crypto, 8,760 for hourly crypto. */
  readonly periodsPerYear: number;
  /** Annual risk-free rate, simple; per period it is rate / periodsPerYear. Default 0. */
  readonly riskFreeRate?: number;
}

export interface Drawdown {
  /** Largest fall from a peak, as a fraction of the peak (0.25 = 25%). */
  readonly depth: number;
  readonly peakTime: number;
  readonly troughTime: number;
  /** First time equity regained the peak, or undefined when it never did. */
  readonly recoveryTime: number | undefined;
  /** From the peak to the recovery (or to the end of the curve), in milliseconds. */
  readonly durationMs: number;
}

/** The shortest span, in days, whose growth is annualised: below it, `cagr` and `calmar` are NaN. */
export const MIN_ANNUALISED_DAYS = 90;

export interface PerformanceMetrics {
  readonly totalReturn: number;
  /**
   * Compound annual growth over calendar time (365.25-day years); NaN for a curve shorter than
   * {@link MIN_ANNUALISED_DAYS} days, where a few weeks' return raised to a yearly power means nothing.
   */
  readonly cagr: number;
  /** Annualised standard deviation of period returns (sample, n − 1). */
  readonly volatility: number;
  readonly sharpe: number;
  readonly sortino: number;
  readonly maxDrawdown: Drawdown;
  /** CAGR / max drawdown depth (NaN when the CAGR is). */
  readonly calmar: number;
  readonly trades: number;
  readonly winRate: number;
  /** Gross profit / gross loss; Infinity with no losing trade. */
  readonly profitFactor: number;
  /** Mean P&L per trade. */
  readonly expectancy: number;
  /** Share of periods with a position open. */
  readonly exposure: number;
  readonly periodsPerYear: number;
  readonly riskFreeRate: number;
}

/** Performance of a run from its equity curve (one point per bar) and its closed trades. */
export function computeMetrics(curve: readonly EquityPoint[], trades: readonly ClosedTrade[], options: MetricsOptions): PerformanceMetrics {
  const running = new RunningMetrics(options);
  for (const p of curve) running.addPoint(p.time, p.equity, p.exposed);
  for (const t of trades) running.addTrade(t.pnl);
  return running.result();
}
