import type { PriceHistory } from './return-history.js';

/**
 * The simple returns of a fixed set of symbols between consecutive times at which all of them have a close (the
 * newest `window`), kept up to date as closes arrive instead of rebuilt: each new common time costs O(k²) for k
 * symbols, and the means and covariance are read in O(k²) from running sums.
 *
 * Aligning prices rather than returns keeps horizons equal across calendars: with equities and crypto, BTC's
 * return is taken Friday→Monday like SPY's, not Sunday→Monday. The rows are exactly those a fresh alignment of
 * the histories' retained closes would give: a common time whose close one history has already dropped is dropped
 * here too.
 */
export class JointReturns {
  readonly k: number;
  /** Returns, `window` rows of k, oldest at `start`. */
  private readonly ring: Float64Array;
  /** The time of each row's later close (the return's own time), parallel to `ring`. */
  private readonly times: Float64Array;
  private start = 0;
  private count = 0;
  /** The newest common time and its closes: the base of the next return. */
  private baseTime = Number.NEGATIVE_INFINITY;
  /** The time of the close the oldest return starts from (−∞ while there is none). */
  private firstBaseTime = Number.NEGATIVE_INFINITY;
  private readonly baseCloses: Float64Array;
  private hasBase = false;
  /**
   * Sums of returns less a shift, and of products of those: shifting by a recent mean keeps the covariance from
   * the cancellation of Σxy − n·x̄ȳ. Rebased from the ring every `window` changes, so rounding cannot drift.
   */
  private readonly shift: Float64Array;
  private readonly sums: Float64Array;
  private readonly products: Float64Array;
  private changesSinceRebase = 0;
  private readonly cursors: Int32Array;
  private readonly row: Float64Array;
  /**
   * One symbol's returns in ascending order (an order-statistics structure kept by binary search and a block
   * move): its book's P&L in each period is value × return, so its tail is read off the ends in O(m) instead of
   * a pass over the window. With several symbols the weights change the order, and the tail needs that pass.
   */
  private readonly sorted: Float64Array | undefined;
  /** How many histories' closes this has seen, summed: unchanged means nothing to advance. */
  private seenVersion = -1;

  constructor(
    private readonly histories: readonly PriceHistory[],
    readonly window: number,
  ) {
    this.k = histories.length;
    this.ring = new Float64Array(window * this.k);
    this.times = new Float64Array(window);
    this.baseCloses = new Float64Array(this.k);
    this.shift = new Float64Array(this.k);
    this.sums = new Float64Array(this.k);
    this.products = new Float64Array(this.k * this.k);
    this.cursors = new Int32Array(this.k);
    this.row = new Float64Array(this.k);
    this.sorted = this.k === 1 ? new Float64Array(window) : undefined;
  }

  get periods(): number {
    return this.count;
  }

  /** Return `t` (0 = oldest) of symbol `i`. */
  at(t: number, i: number): number {
    return this.ring[((this.start + t) % this.window) * this.k + i]!;
  }

  /** Takes in the closes added to the histories since the last call; `version` changes whenever one was. */
  update(version: number): void {
    if (version === this.seenVersion) return;
    this.seenVersion = version;
    let cutoff = Number.NEGATIVE_INFINITY;
    for (const h of this.histories) if (h.size > 0 && h.timeAt(0) > cutoff) cutoff = h.timeAt(0);
    // The base close has left a history: the newer common times cannot be chained onto it.
    if (this.hasBase && this.baseTime < cutoff) this.reset();
    this.walkCommonTimes();
    // Returns whose first close a history no longer holds are dropped, as a fresh alignment would never see them.
    while (this.count > 0 && this.firstBaseTime < cutoff) this.dropOldest();
  }

  /**
   * The m-th worst loss and the mean of the m worst of holding `value` (currency) of the one symbol, or undefined
   * for a set of several symbols. Equal to `historicalTailRisk` over `pnlOf` (the VaR exactly, the ES to rounding).
   */
  tailOfOne(value: number, m: number): { valueAtRisk: number; expectedShortfall: number } | undefined {
    const sorted = this.sorted;
    if (sorted === undefined || m > this.count) return undefined;
    // A long book loses most on the lowest returns, a short one on the highest.
    const from = value >= 0 ? 0 : this.count - m;
    let sum = 0;
    for (let i = from; i < from + m; i++) sum += -(value * sorted[i]!);
    const worst = value >= 0 ? sorted[m - 1]! : sorted[this.count - m]!;
    return { valueAtRisk: -(value * worst), expectedShortfall: sum / m };
  }

  /** Profit and loss of holding `values` (currency per symbol) in each period, oldest first, into `out`. */
  pnlOf(values: ArrayLike<number>, out: Float64Array): void {
    const { k, ring, window, count } = this;
    let row = this.start;
    for (let t = 0; t < count; t++) {
      const slot = row * k;
      let p = 0;
      for (let i = 0; i < k; i++) p += values[i]! * ring[slot + i]!;
      out[t] = p;
      if (++row === window) row = 0;
    }
  }

  /** Sample means and covariance (n − 1) of the window into `means` (k) and `covariance` (k×k, row-major). */
  moments(means: Float64Array, covariance: Float64Array): void {
    const { k, count: n } = this;
    for (let i = 0; i < k; i++) means[i] = n === 0 ? 0 : this.shift[i]! + this.sums[i]! / n;
    for (let i = 0; i < k; i++) {
      for (let j = i; j < k; j++) {
        const c = n > 1 ? (this.products[i * k + j]! - (this.sums[i]! * this.sums[j]!) / n) / (n - 1) : 0;
        covariance[i * k + j] = c;
        covariance[j * k + i] = c;
      }
    }
  }

  private reset(): void {
    this.start = 0;
    this.count = 0;
    this.hasBase = false;
    this.baseTime = Number.NEGATIVE_INFINITY;
    this.firstBaseTime = Number.NEGATIVE_INFINITY;
    this.rebase();
  }

  /** Visits, oldest first, every time after the base at which all histories have a close. */
  private walkCommonTimes(): void {
    const { histories, cursors, k } = this;
    for (let i = 0; i < k; i++) {
      const h = histories[i]!;
      if (h.size === 0) return;
      cursors[i] = firstAfter(h, this.baseTime);
    }
    for (;;) {
      let target = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < k; i++) {
        const h = histories[i]!;
        if (cursors[i]! >= h.size) return;
        const t = h.timeAt(cursors[i]!);
        if (t > target) target = t;
      }
      let common = true;
      for (let i = 0; i < k; i++) {
        const h = histories[i]!;
        let c = cursors[i]!;
        while (c < h.size && h.timeAt(c) < target) c++;
        cursors[i] = c;
        if (c >= h.size) return;
        if (h.timeAt(c) !== target) common = false;
      }
      if (!common) continue;
      for (let i = 0; i < k; i++) this.row[i] = histories[i]!.closeAt(cursors[i]!);
      this.addCommon(target, this.row);
      for (let i = 0; i < k; i++) cursors[i]!++;
    }
  }

  private addCommon(time: number, closes: Float64Array): void {
    const { k } = this;
    if (this.hasBase) {
      if (this.count === this.window) this.dropOldest();
      if (this.count === 0) this.firstBaseTime = this.baseTime;
      const row = (this.start + this.count) % this.window;
      for (let i = 0; i < k; i++) this.ring[row * k + i] = closes[i]! / this.baseCloses[i]! - 1;
      this.times[row] = time;
      this.count++;
      this.changed(row, 1);
    }
    this.baseCloses.set(closes);
    this.baseTime = time;
    this.hasBase = true;
  }

  private dropOldest(): void {
    const row = this.start;
    this.firstBaseTime = this.times[row]!;
    this.start = (this.start + 1) % this.window;
    this.count--;
    // The row's values stay in the ring until a new row takes its place.
    this.changed(row, -1);
  }

  /** Row `row` has joined (+1) or left (−1) the window. */
  private changed(row: number, sign: 1 | -1): void {
    if (this.sorted !== undefined) this.keepSorted(this.ring[row]!, sign);
    if (++this.changesSinceRebase >= this.window) {
      this.changesSinceRebase = 0;
      this.rebase();
      return;
    }
    const { k, ring, shift, sums, products } = this;
    const slot = row * k;
    for (let i = 0; i < k; i++) {
      const di = ring[slot + i]! - shift[i]!;
      sums[i] = sums[i]! + sign * di;
      for (let j = i; j < k; j++) products[i * k + j] = products[i * k + j]! + sign * di * (ring[slot + j]! - shift[j]!);
    }
  }

  /** `count` already includes (+1) or excludes (−1) the return. */
  private keepSorted(value: number, sign: 1 | -1): void {
    const sorted = this.sorted!;
    const n = sign === 1 ? this.count - 1 : this.count + 1;
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]! < value) lo = mid + 1;
      else hi = mid;
    }
    if (sign === 1) {
      sorted.copyWithin(lo + 1, lo, n);
      sorted[lo] = value;
    } else sorted.copyWithin(lo, lo + 1, n);
  }

  /** Sums recomputed from the rows in the window, shifted by their mean. */
  private rebase(): void {
    const { k, count: n, shift, sums, products } = this;
    for (let i = 0; i < k; i++) {
      let s = 0;
      for (let t = 0; t < n; t++) s += this.at(t, i);
      shift[i] = n === 0 ? 0 : s / n;
    }
    sums.fill(0);
    products.fill(0);
    for (let t = 0; t < n; t++) {
      for (let i = 0; i < k; i++) {
        const di = this.at(t, i) - shift[i]!;
        sums[i] = sums[i]! + di;
        for (let j = i; j < k; j++) products[i * k + j] = products[i * k + j]! + di * (this.at(t, j) - shift[j]!);
      }
    }
  }
}

/** Logical index of the first close after `time` (the size when there is none). */
function firstAfter(h: PriceHistory, time: number): number {
  let lo = 0;
  let hi = h.size;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (h.timeAt(mid) <= time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
