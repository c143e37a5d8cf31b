/** Samples kept: the latest, whatever the session's length. */
const KEPT = 4_096;

/** Bar-to-order latency figures, in milliseconds. */
export interface LatencyFigures {
  readonly orders: number;
  /** From the bar reaching the host, waiting for its turn included (the previous bar's order may still be on its way). */
  readonly total: Percentiles;
  /** From the bar's turn starting: the engine, strategies, risk plugins and sizing alone. */
  readonly processing: Percentiles;
}

export interface Percentiles {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/** The latest `KEPT` durations in a ring. */
class Samples {
  private readonly ring = new Float64Array(KEPT);
  count = 0;

  add(ms: number): void {
    this.ring[this.count++ % KEPT] = ms;
  }

  percentiles(): Percentiles {
    const n = Math.min(this.count, KEPT);
    const sorted = this.ring.slice(0, n).sort();
    const at = (q: number) => sorted[Math.min(n - 1, Math.floor(q * n))]!;
    return { p50: at(0.5), p99: at(0.99), max: sorted[n - 1]! };
  }
}

/**
 * How long a live session takes from a closed bar reaching the host (from its data plugin) to an order it causes
 * being handed to the broker: the process's own part of tick-to-trade, without the venue's network. Bars are
 * processed one at a time, so a bar may wait for the previous one's order to be acknowledged: the figures say
 * both, with and without that wait.
 */
export class OrderLatency {
  private readonly total = new Samples();
  private readonly processing = new Samples();
  private arrivedAt = Number.NaN;
  private startedAt = Number.NaN;

  /** A closed bar has reached the host. */
  arrived(now = performance.now()): void {
    this.arrivedAt = now;
  }

  /** Its turn has come; the orders until the next bar answer it. */
  started(now = performance.now()): void {
    this.startedAt = now;
  }

  /** An order is being handed to the broker. */
  sent(now = performance.now()): void {
    if (Number.isNaN(this.arrivedAt) || Number.isNaN(this.startedAt)) return;
    this.total.add(now - this.arrivedAt);
    this.processing.add(now - this.startedAt);
  }

  /** The figures in a line for the terminal, or undefined before the first order. */
  describe(): string | undefined {
    const figures = this.figures();
    if (figures === undefined) return undefined;
    const { total, processing, orders } = figures;
    const ms = (x: number) => `${x.toFixed(3)} ms`;
    return `orders left for the venue ${ms(processing.p50)} (p50), ${ms(processing.p99)} (p99), ${ms(processing.max)} at most after their bar's turn came; ${ms(total.p50)}, ${ms(total.p99)}, ${ms(total.max)} after it reached the session (${orders} order${orders === 1 ? '' : 's'}; the venue's network not included)`;
  }

  figures(): LatencyFigures | undefined {
    if (this.total.count === 0) return undefined;
    return { orders: this.total.count, total: this.total.percentiles(), processing: this.processing.percentiles() };
  }
}
