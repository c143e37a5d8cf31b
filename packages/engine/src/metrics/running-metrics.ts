import { MIN_ANNUALISED_DAYS, type Drawdown, type MetricsOptions, type PerformanceMetrics } from './metrics.js';

/** Everything a `RunningMetrics` holds, as plain JSON (a paper session's checkpoint carries it). */
export interface RunningMetricsState {
  readonly numbers: readonly number[];
  readonly worst: Drawdown;
}

/** The numeric fields, in the order `toState` writes them. */
const FIELDS = ['points', 'firstTime', 'firstEquity', 'lastTime', 'lastEquity', 'mean', 'm2', 'downside', 'exposedPeriods', 'peakTime', 'peakEquity', 'troughTime', 'depth', 'trades', 'wins', 'grossProfit', 'grossLoss', 'netPnl'] as const;

const YEAR_MS = 365.25 * 86_400_000;

/**
 * Performance metrics kept up to date one equity point and one closed trade at a time, in constant memory: what
 * a run of any length reports without holding its curve or its trades. Mean and variance follow Welford's
 * recurrence; the drawdown walk is the same as over a stored curve.
 */
export class RunningMetrics {
  private points = 0;
  private firstTime = 0;
  private firstEquity = 0;
  private lastTime = 0;
  private lastEquity = 0;
  private mean = 0;
  /** Σ (r − mean)², updated in Welford's form. */
  private m2 = 0;
  /** Σ min(0, r − rf per period)². */
  private downside = 0;
  private exposedPeriods = 0;
  private peakTime = 0;
  private peakEquity = 0;
  /** The drawdown under way: its trough and depth, or depth −1 when equity is at its peak. */
  private troughTime = 0;
  private depth = -1;
  private worst: Drawdown = { depth: 0, peakTime: 0, troughTime: 0, recoveryTime: 0, durationMs: 0 };
  private trades = 0;
  private wins = 0;
  private grossProfit = 0;
  private grossLoss = 0;
  private netPnl = 0;
  private readonly rfPeriod: number;

  constructor(private readonly options: MetricsOptions) {
    this.rfPeriod = (options.riskFreeRate ?? 0) / options.periodsPerYear;
  }

  // The first point, apart from `addPoint`: what runs on every bar stays small enough to be inlined there.
  private start(time: number, equity: number): void {
    this.firstTime = this.lastTime = this.peakTime = time;
    this.firstEquity = this.lastEquity = this.peakEquity = equity;
    this.worst = { depth: 0, peakTime: time, troughTime: time, recoveryTime: time, durationMs: 0 };
  }

  /** Equity points added so far. */
  get length(): number {
    return this.points;
  }

  /** The equity at the end of a period (bar); `exposed` when a position was open during it. */
  addPoint(time: number, equity: number, exposed: boolean): void {
    if (this.points++ === 0) return this.start(time, equity);
    const r = equity / this.lastEquity - 1;
    const n = this.points - 1;
    const delta = r - this.mean;
    this.mean += delta / n;
    this.m2 += delta * (r - this.mean);
    const below = Math.min(0, r - this.rfPeriod);
    this.downside += below * below;
    if (exposed) this.exposedPeriods++;
    this.lastTime = time;
    this.lastEquity = equity;

    if (equity >= this.peakEquity) {
      this.closeDrawdown(time, time);
      this.peakTime = time;
      this.peakEquity = equity;
      return;
    }
    const depth = (this.peakEquity - equity) / this.peakEquity;
    if (depth > this.depth) {
      this.depth = depth;
      this.troughTime = time;
    }
  }

  addTrade(pnl: number): void {
    this.trades++;
    this.netPnl += pnl;
    if (pnl > 0) {
      this.wins++;
      this.grossProfit += pnl;
    } else if (pnl < 0) this.grossLoss -= pnl;
  }

  toState(): RunningMetricsState {
    return { numbers: FIELDS.map((f) => this[f]), worst: { ...this.worst } };
  }

  /** Continues from `toState()` of an accumulator with the same options. */
  restore(state: RunningMetricsState): void {
    FIELDS.forEach((f, i) => (this[f] = state.numbers[i]!));
    this.worst = { ...state.worst };
  }

  /** The figures so far; needs at least two points. */
  result(): PerformanceMetrics {
    if (this.points < 2) throw new RangeError(`metrics need at least two equity points, got ${this.points}`);
    const ppy = this.options.periodsPerYear;
    const rf = this.options.riskFreeRate ?? 0;
    const n = this.points - 1;
    const sd = n > 1 ? Math.sqrt(this.m2 / (n - 1)) : 0;
    const downside = Math.sqrt(this.downside / n);
    const years = (this.lastTime - this.firstTime) / YEAR_MS;
    const growth = this.lastEquity / this.firstEquity;
    const cagr = years * 365.25 >= MIN_ANNUALISED_DAYS ? growth ** (1 / years) - 1 : Number.NaN;
    const maxDrawdown = this.worstIncludingOpen();
    const trades = this.trades;
    return {
      totalReturn: growth - 1,
      cagr,
      volatility: sd * Math.sqrt(ppy),
      sharpe: sd === 0 ? 0 : ((this.mean - this.rfPeriod) / sd) * Math.sqrt(ppy),
      sortino: downside === 0 ? 0 : ((this.mean - this.rfPeriod) / downside) * Math.sqrt(ppy),
      maxDrawdown,
      calmar: Number.isNaN(cagr) ? Number.NaN : maxDrawdown.depth === 0 ? 0 : cagr / maxDrawdown.depth,
      trades,
      winRate: trades === 0 ? 0 : this.wins / trades,
      profitFactor: this.grossLoss === 0 ? (this.grossProfit > 0 ? Number.POSITIVE_INFINITY : 0) : this.grossProfit / this.grossLoss,
      expectancy: trades === 0 ? 0 : this.netPnl / trades,
      exposure: this.exposedPeriods / n,
      periodsPerYear: ppy,
      riskFreeRate: rf,
    };
  }

  private closeDrawdown(recoveryTime: number, end: number): void {
    if (this.depth > this.worst.depth) {
      this.worst = { depth: this.depth, peakTime: this.peakTime, troughTime: this.troughTime, recoveryTime, durationMs: end - this.peakTime };
    }
    this.depth = -1;
  }

  /** The worst drawdown, counting one still under way (unrecovered: it lasts to the last point). */
  private worstIncludingOpen(): Drawdown {
    if (this.depth > this.worst.depth) {
      return { depth: this.depth, peakTime: this.peakTime, troughTime: this.troughTime, recoveryTime: undefined, durationMs: this.lastTime - this.peakTime };
    }
    return this.worst;
  }
}
