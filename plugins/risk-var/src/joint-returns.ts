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
  /** Scratch of `pnlOf`: the indices of the symbols held. */
  private readonly held: Int32Array;
  /** Scratch of `rebuild`: the common times found walking back, and their closes. */
  private readonly rowTimes: Float64Array;
  private readonly rowCloses: Float64Array;
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
    this.held = new Int32Array(this.k);
    this.rowTimes = new Float64Array(window + 1);
    this.rowCloses = new Float64Array((window + 1) * this.k);
  }

  /** The newest common time: the base of the next return. */
  get lastCommonTime(): number {
    return this.baseTime;
  }

  /** Symbol `i`'s close at `lastCommonTime`. */
  baseCloseOf(i: number): number {
    return this.baseCloses[i]!;
  }

  /** Whether the window holds `window` returns (a new one pushes the oldest out). */
  get full(): boolean {
    return this.count === this.window;
  }

  /** The running sums behind `moments`: Σ(rᵢ − cᵢ) and Σ(rᵢ − cᵢ)(rⱼ − cⱼ) with the shift cᵢ. */
  sumsOf(i: number): { shift: number; sum: number } {
    return { shift: this.shift[i]!, sum: this.sums[i]! };
  }

  productOf(i: number, j: number): number {
    return i <= j ? this.products[i * this.k + j]! : this.products[j * this.k + i]!;
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
    // A set not asked about for a while (or never) is built afresh from the newest closes: walking forward through
    // every close it missed, a row at a time, would cost more than building the window once.
    const first = this.histories[0]!;
    if (!this.hasBase || first.size - firstAfter(first, this.baseTime) > this.window / 2) {
      this.rebuild();
      return;
    }
    let cutoff = Number.NEGATIVE_INFINITY;
    for (const h of this.histories) if (h.size > 0 && h.timeAt(0) > cutoff) cutoff = h.timeAt(0);
    // The base close has left a history: the newer common times cannot be chained onto it.
    if (this.hasBase && this.baseTime < cutoff) this.reset();
    this.walkCommonTimes();
    // Returns whose first close a history no longer holds are dropped, as a fresh alignment would never see them.
    while (this.count > 0 && this.firstBaseTime < cutoff) this.dropOldest();
  }

  /** Profit and loss of holding `values` (currency per symbol) in each period, oldest first, into `out`. */
  pnlOf(values: ArrayLike<number>, out: Float64Array): void {
    const { k, ring, window, count, held } = this;
    // Only the symbols held: a book of one symbol of many reads one column (a 0 would add nothing anyway).
    let n = 0;
    for (let i = 0; i < k; i++) if (values[i] !== 0) held[n++] = i;
    // Oldest first: from `start` to the end of the ring, then from its beginning.
    const first = Math.min(count, window - this.start);
    if (n === 1) {
      // One column; 0 + v·r as the general sum gives it.
      const i = held[0]!;
      const v = values[i]!;
      for (let t = 0, at = this.start * k + i; t < first; t++, at += k) out[t] = 0 + v * ring[at]!;
      for (let t = first, at = i; t < count; t++, at += k) out[t] = 0 + v * ring[at]!;
      return;
    }
    let row = this.start;
    for (let t = 0; t < count; t++) {
      const slot = row * k;
      let p = 0;
      for (let j = 0; j < n; j++) {
        const i = held[j]!;
        p += values[i]! * ring[slot + i]!;
      }
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

  /** The newest `window` + 1 common times, found walking back from the newest closes, made the window at once. */
  private rebuild(): void {
    this.reset();
    const { histories, cursors, k, rowTimes, rowCloses } = this;
    for (let i = 0; i < k; i++) {
      if (histories[i]!.size === 0) return;
      cursors[i] = histories[i]!.size - 1;
    }
    let found = 0;
    walk: while (found < rowTimes.length) {
      let target = Number.POSITIVE_INFINITY;
      for (let i = 0; i < k; i++) {
        const t = histories[i]!.timeAt(cursors[i]!);
        if (t < target) target = t;
      }
      let common = true;
      for (let i = 0; i < k; i++) {
        const h = histories[i]!;
        let c = cursors[i]!;
        while (c >= 0 && h.timeAt(c) > target) c--;
        cursors[i] = c;
        if (c < 0) break walk;
        if (h.timeAt(c) !== target) common = false;
      }
      if (!common) continue;
      rowTimes[found] = target;
      let exhausted = false;
      for (let i = 0; i < k; i++) {
        rowCloses[found * k + i] = histories[i]!.closeAt(cursors[i]!);
        if (--cursors[i]! < 0) exhausted = true;
      }
      found++;
      if (exhausted) break;
    }
    if (found === 0) return;
    // Oldest first: each return is a row's closes over the row's before it, as `addCommon` computes it.
    const oldest = found - 1;
    this.firstBaseTime = rowTimes[oldest]!;
    for (let r = oldest - 1; r >= 0; r--) {
      const slot = (oldest - 1 - r) * k;
      for (let i = 0; i < k; i++) this.ring[slot + i] = rowCloses[r * k + i]! / rowCloses[(r + 1) * k + i]! - 1;
      this.times[oldest - 1 - r] = rowTimes[r]!;
    }
    this.count = oldest;
    this.start = 0;
    this.baseTime = rowTimes[0]!;
    for (let i = 0; i < k; i++) this.baseCloses[i] = rowCloses[i]!;
    this.hasBase = true;
    this.changesSinceRebase = 0;
    this.rebase();
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
