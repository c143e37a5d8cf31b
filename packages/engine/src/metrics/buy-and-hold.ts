import { EquitySampler, type EquitySamplerState } from './equity-sampler.js';
import type { EquityPoint, MetricsOptions, PerformanceMetrics } from './metrics.js';
import { RunningMetrics, type RunningMetricsState } from './running-metrics.js';

/** What a run's benchmark reports: the same curve and figures as the account's. */
export interface BenchmarkResult {
  /** How the benchmark is made, in words, for a report. */
  readonly description: string;
  readonly finalEquity: number;
  readonly equity: readonly EquityPoint[];
  readonly metrics: PerformanceMetrics | undefined;
}

/** A `BuyAndHold` as plain JSON, for a checkpoint. */
export interface BuyAndHoldState {
  readonly units: readonly (number | null)[];
  readonly cash: number;
  readonly curve: EquitySamplerState;
  readonly metrics: RunningMetricsState;
}

/**
 * The question every strategy must answer: did it beat holding the market? The capital is split equally across
 * the run's symbols; each share buys its symbol at its first price once the run's warm-up is over for it (when the
 * strategies may first trade it) and holds it to the end, with no fees. Its equity is booked at every time the account's is, so the curves and the figures
 * compare point by point.
 */
export class BuyAndHold {
  /** Units held per symbol; NaN until bought. */
  private readonly units: Float64Array;
  private cash: number;
  private readonly share: number;
  readonly curve: EquitySampler;
  readonly metrics: RunningMetrics;
  /** Whether the run's warm-up is over for a symbol: until then its share waits in cash. Set by the engine. */
  ready: (symbol: string) => boolean = () => true;

  constructor(
    private readonly capital: number,
    private readonly symbols: readonly string[],
    keepPoints: number,
    metricsOptions: MetricsOptions,
    /** The symbol's last price, NaN before its first. */
    private readonly priceOf: (symbol: string) => number,
  ) {
    this.units = new Float64Array(symbols.length).fill(Number.NaN);
    this.cash = capital;
    this.share = symbols.length === 0 ? 0 : capital / symbols.length;
    this.curve = new EquitySampler(keepPoints);
    this.metrics = new RunningMetrics(metricsOptions);
  }

  /** Books the benchmark's equity at `time`, buying any symbol priced for the first time. */
  record(time: number): void {
    let value = this.cash;
    for (let i = 0; i < this.symbols.length; i++) {
      const price = this.priceOf(this.symbols[i]!);
      if (!(price > 0)) continue;
      let units = this.units[i]!;
      if (Number.isNaN(units)) {
        if (!this.ready(this.symbols[i]!)) continue;
        units = this.units[i] = this.share / price;
        this.cash -= this.share;
        value -= this.share;
      }
      value += units * price;
    }
    this.metrics.addPoint(time, value, value !== this.cash);
    this.curve.add(time, value, value !== this.cash);
  }

  result(): BenchmarkResult {
    const last = this.curve.points().at(-1);
    return {
      description:
        this.symbols.length === 0
          ? 'cash: the run names no symbols to buy and hold (give the engine its symbols for a market benchmark)'
          : `buy and hold: ${this.symbols.join(', ')}${this.symbols.length > 1 ? ' in equal parts' : ''}, bought at the first price after the run's warm-up, no fees`,
      finalEquity: last?.equity ?? this.capital,
      equity: this.curve.points(),
      metrics: this.metrics.length >= 2 ? this.metrics.result() : undefined,
    };
  }

  toState(): BuyAndHoldState {
    return { units: [...this.units].map((u) => (Number.isNaN(u) ? null : u)), cash: this.cash, curve: this.curve.toState(), metrics: this.metrics.toState() };
  }

  restore(state: BuyAndHoldState): void {
    state.units.forEach((u, i) => (this.units[i] = u ?? Number.NaN));
    this.cash = state.cash;
    this.curve.restore(state.curve);
    this.metrics.restore(state.metrics);
  }
}
