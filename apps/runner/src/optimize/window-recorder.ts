import type { EventBus } from '@trading-orchestrator/core-manager';
import { RunningMetrics, type MetricsOptions, type PerformanceMetrics } from '@trading-orchestrator/engine';

const DAY = 86_400_000;

/** An account's return day by day: `days[i]` counted from 1970-01-01 UTC, `values[i]` that day's return. */
export interface DailyReturns {
  readonly days: readonly number[];
  readonly values: readonly number[];
}

/**
 * The account's performance over one span of a run, from the bus's equity points and closed trades: a walk-forward
 * test span's metrics leave out the in-sample bars that warmed it up. It also keeps the returns day by day (UTC), the
 * common grid on which the overfitting guards compare trials.
 */
export class WindowRecorder {
  private readonly running: RunningMetrics;
  private readonly closes: number[] = [];
  private readonly days: number[] = [];
  private base = Number.NaN;
  private day = Number.NaN;
  private last = Number.NaN;

  constructor(
    private readonly from: number,
    private readonly to: number,
    options: MetricsOptions,
  ) {
    this.running = new RunningMetrics(options);
  }

  attach(bus: EventBus): () => void {
    const offEquity = bus.subscribe('equity', (e) => {
      if (e.strategyId !== undefined || e.time < this.from || e.time >= this.to) return;
      this.running.addPoint(e.time, e.equity, false);
      const day = Math.floor(e.time / DAY);
      if (Number.isNaN(this.base)) this.base = e.equity;
      else if (day !== this.day) {
        this.closes.push(this.last);
        this.days.push(this.day);
      }
      this.day = day;
      this.last = e.equity;
    });
    const offTrade = bus.subscribe('trade', (t) => {
      if (t.exitTime >= this.from && t.exitTime < this.to) this.running.addTrade(t.pnl);
    });
    return () => {
      offEquity();
      offTrade();
    };
  }

  /** Metrics over the span (exposure is not tracked here and reads 0); undefined with fewer than two points. */
  metrics(): PerformanceMetrics | undefined {
    return this.running.length < 2 ? undefined : this.running.result();
  }

  /** Equity at the end of each day, the last day included. */
  dailyCloses(): number[] {
    return Number.isNaN(this.last) ? [] : [...this.closes, this.last];
  }

  /** Return of each day against the day before (the first against the span's first point); days counted from 1970-01-01 UTC. */
  dailyReturns(): DailyReturns {
    const closes = this.dailyCloses();
    return { days: Number.isNaN(this.last) ? [] : [...this.days, this.day], values: closes.map((c, i) => c / (i === 0 ? this.base : closes[i - 1]!) - 1) };
  }
}
