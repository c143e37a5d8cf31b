import type { EquityPoint } from './metrics.js';

/** Everything an `EquitySampler` holds, as plain JSON. */
export interface EquitySamplerState {
  readonly kept: readonly EquityPoint[];
  readonly stride: number;
  readonly seen: number;
  readonly pending: EquityPoint | undefined;
}

/**
 * An equity curve thinned to at most `capacity` points however long the run: every `stride`-th point is kept,
 * and when the buffer fills, every other kept point is dropped and the stride doubles. The first and the latest
 * points are always in `points()`. What a chart needs, in constant memory; the metrics come from every point.
 */
export class EquitySampler {
  private readonly kept: EquityPoint[] = [];
  private stride = 1;
  private seen = 0;
  /** Points still to pass before the next one kept (the next multiple of the stride): a count, not a modulo. */
  private untilKept = 0;
  /** The latest point when it was not kept: time and equity in a typed array, so nothing is allocated or boxed. */
  private pending = false;
  private readonly pendingValues = new Float64Array(2);
  private pendingExposed = false;

  constructor(readonly capacity = 4_096) {
    if (!(capacity >= 4) || !Number.isInteger(capacity)) throw new RangeError(`an equity sampler keeps at least 4 points, got ${capacity}`);
  }

  add(time: number, equity: number, exposed: boolean): void {
    const index = this.seen++;
    if (this.untilKept === 0) return this.keep(time, equity, exposed, index);
    this.untilKept--;
    this.pending = true;
    this.pendingValues[0] = time;
    this.pendingValues[1] = equity;
    this.pendingExposed = exposed;
  }

  // A kept point, apart from `add`: most points are not kept, and that path stays small enough to be inlined.
  private keep(time: number, equity: number, exposed: boolean, index: number): void {
    this.pending = false;
    this.kept.push({ time, equity, exposed });
    if (this.kept.length >= this.capacity) this.halve();
    this.untilKept = this.stride - 1 - (index % this.stride);
  }

  /** Drops every other kept point and doubles the stride; the latest point stays as the pending one. */
  private halve(): void {
    const latest = this.kept.at(-1)!;
    let w = 0;
    for (let r = 0; r < this.kept.length; r += 2) this.kept[w++] = this.kept[r]!;
    this.kept.length = w;
    this.stride *= 2;
    if (this.kept.at(-1) !== latest) {
      this.pending = true;
      this.pendingValues[0] = latest.time;
      this.pendingValues[1] = latest.equity;
      this.pendingExposed = latest.exposed;
    }
  }

  toState(): EquitySamplerState {
    return { kept: [...this.kept], stride: this.stride, seen: this.seen, pending: this.pending ? this.pendingPoint() : undefined };
  }

  /** Continues from `toState()` of a sampler with the same capacity. */
  restore(state: EquitySamplerState): void {
    this.kept.length = 0;
    this.kept.push(...state.kept);
    this.stride = state.stride;
    this.seen = state.seen;
    this.untilKept = (state.stride - (state.seen % state.stride)) % state.stride;
    this.pending = state.pending !== undefined;
    if (state.pending !== undefined) {
      this.pendingValues[0] = state.pending.time;
      this.pendingValues[1] = state.pending.equity;
      this.pendingExposed = state.pending.exposed;
    }
  }

  /** Points added in all, kept or not. */
  get count(): number {
    return this.seen;
  }

  /** The kept points in time order, ending with the latest point added. */
  points(): EquityPoint[] {
    return this.pending ? [...this.kept, this.pendingPoint()] : [...this.kept];
  }

  private pendingPoint(): EquityPoint {
    return { time: this.pendingValues[0]!, equity: this.pendingValues[1]!, exposed: this.pendingExposed };
  }
}
