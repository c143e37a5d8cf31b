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

export interface PerformanceMetrics {
  readonly totalReturn: number;
  /** Compound annual growth over calendar time (365.25-day years). */
  readonly cagr: number;
  /** Annualised standard deviation of period returns (sample, n − 1). */
  readonly volatility: number;
  readonly sharpe: number;
  readonly sortino: number;
  readonly maxDrawdown: Drawdown;
  /** CAGR / max drawdown depth. */
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

const YEAR_MS = 365.25 * 86_400_000;

function drawdownOf(curve: readonly EquityPoint[]): Drawdown {
  let peak = curve[0]!;
  let worst: Drawdown = { depth: 0, peakTime: peak.time, troughTime: peak.time, recoveryTime: peak.time, durationMs: 0 };
  let current: { peak: EquityPoint; trough: EquityPoint; depth: number } | undefined;
  const close = (recoveryTime: number | undefined, end: number) => {
    if (current !== undefined && current.depth > worst.depth) {
      worst = { depth: current.depth, peakTime: current.peak.time, troughTime: current.trough.time, recoveryTime, durationMs: (recoveryTime ?? end) - current.peak.time };
    }
    current = undefined;
  };
  for (const point of curve) {
    if (point.equity >= peak.equity) {
      close(point.time, point.time);
      peak = point;
      continue;
    }
    const depth = (peak.equity - point.equity) / peak.equity;
    if (current === undefined) current = { peak, trough: point, depth };
    else if (depth > current.depth) current = { peak, trough: point, depth };
  }
  close(undefined, curve.at(-1)!.time);
  return worst;
}

/** Performance of a run from its equity curve (one point per bar) and its closed trades. */
export function computeMetrics(curve: readonly EquityPoint[], trades: readonly ClosedTrade[], options: MetricsOptions): PerformanceMetrics {
  if (curve.length < 2) throw new RangeError(`metrics need at least two equity points, got ${curve.length}`);
  const ppy = options.periodsPerYear;
  const rf = options.riskFreeRate ?? 0;
  const rfPeriod = rf / ppy;
  const first = curve[0]!;
  const last = curve.at(-1)!;
  const returns: number[] = [];
  for (let i = 1; i < curve.length; i++) returns.push(curve[i]!.equity / curve[i - 1]!.equity - 1);
  const n = returns.length;
  const mean = returns.reduce((s, r) => s + r, 0) / n;
  const sd = n > 1 ? Math.sqrt(returns.reduce((s, r) => s + (r - mean) ** 2, 0) / (n - 1)) : 0;
  const downside = Math.sqrt(returns.reduce((s, r) => s + Math.min(0, r - rfPeriod) ** 2, 0) / n);
  const years = (last.time - first.time) / YEAR_MS;
  const totalReturn = last.equity / first.equity - 1;
  const cagr = years > 0 ? (last.equity / first.equity) ** (1 / years) - 1 : 0;
  const maxDrawdown = drawdownOf(curve);
  const wins = trades.filter((t) => t.pnl > 0);
  const losses = trades.filter((t) => t.pnl < 0);
  const grossProfit = wins.reduce((s, t) => s + t.pnl, 0);
  const grossLoss = -losses.reduce((s, t) => s + t.pnl, 0);
  return {
    totalReturn,
    cagr,
    volatility: sd * Math.sqrt(ppy),
    sharpe: sd === 0 ? 0 : ((mean - rfPeriod) / sd) * Math.sqrt(ppy),
    sortino: downside === 0 ? 0 : ((mean - rfPeriod) / downside) * Math.sqrt(ppy),
    maxDrawdown,
    calmar: maxDrawdown.depth === 0 ? 0 : cagr / maxDrawdown.depth,
    trades: trades.length,
    winRate: trades.length === 0 ? 0 : wins.length / trades.length,
    profitFactor: grossLoss === 0 ? (grossProfit > 0 ? Number.POSITIVE_INFINITY : 0) : grossProfit / grossLoss,
    expectancy: trades.length === 0 ? 0 : trades.reduce((s, t) => s + t.pnl, 0) / trades.length,
    exposure: curve.slice(1).filter((p) => p.exposed).length / n,
    periodsPerYear: ppy,
    riskFreeRate: rf,
  };
}
