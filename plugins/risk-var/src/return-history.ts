/**
 * Closes of one symbol, oldest first, in a ring of `capacity` (bounded whatever the run length), each with the
 * open time of its bar, so several symbols can be aligned on the times they share.
 */
export class PriceHistory {
  private readonly times: Float64Array;
  private readonly closes: Float64Array;
  private start = 0;
  private count = 0;
  /** Closes accepted since the start, including those the ring has dropped. */
  added = 0;

  constructor(readonly capacity: number) {
    this.times = new Float64Array(capacity);
    this.closes = new Float64Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  get lastTime(): number {
    return this.count === 0 ? Number.NEGATIVE_INFINITY : this.timeAt(this.count - 1);
  }

  /** Records a close; returns false when the bar is not after the previous one (ignored). */
  add(time: number, close: number): boolean {
    if (time <= this.lastTime) return false;
    const slot = (this.start + this.count) % this.capacity;
    this.times[slot] = time;
    this.closes[slot] = close;
    if (this.count < this.capacity) this.count++;
    else this.start = (this.start + 1) % this.capacity;
    this.added++;
    return true;
  }

  timeAt(i: number): number {
    return this.times[(this.start + i) % this.capacity]!;
  }

  closeAt(i: number): number {
    return this.closes[(this.start + i) % this.capacity]!;
  }

  /** Logical index of `time`, or -1. */
  indexOf(time: number): number {
    let lo = 0;
    let hi = this.count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const t = this.timeAt(mid);
      if (t === time) return mid;
      if (t < time) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}

/**
 * Simple returns of several symbols between consecutive times at which all of them have a close, oldest first,
 * at most `limit` (the newest), aligned afresh from the histories. The risk model keeps the same returns up to
 * date as closes arrive (`JointReturns`); this is the plain computation it is tested against. Aligning prices rather than returns keeps horizons equal across calendars: with
 * equities and crypto, BTC's return is taken Friday→Monday like SPY's, not Sunday→Monday.
 */
export function alignReturns(histories: readonly PriceHistory[], limit: number): Float64Array[] {
  if (histories.length === 0) return [];
  if (histories.length === 1) return [returnsOf(histories[0]!, limit)];
  const shortest = histories.reduce((a, b) => (b.size < a.size ? b : a));
  const rows: number[][] = [];
  for (let i = shortest.size - 1; i >= 0 && rows.length <= limit; i--) {
    const t = shortest.timeAt(i);
    const row: number[] = [];
    for (const h of histories) {
      const j = h === shortest ? i : h.indexOf(t);
      if (j < 0) break;
      row.push(h.closeAt(j));
    }
    if (row.length === histories.length) rows.push(row);
  }
  rows.reverse();
  const periods = rows.length - 1;
  return histories.map((_, k) => {
    const out = new Float64Array(Math.max(periods, 0));
    for (let t = 0; t < periods; t++) out[t] = rows[t + 1]![k]! / rows[t]![k]! - 1;
    return out;
  });
}

/** One symbol's returns between its consecutive closes, the newest `limit`: the one-symbol case of `alignReturns`. */
function returnsOf(history: PriceHistory, limit: number): Float64Array {
  const periods = Math.max(0, Math.min(history.size - 1, limit));
  const out = new Float64Array(periods);
  const from = history.size - 1 - periods;
  for (let t = 0; t < periods; t++) out[t] = history.closeAt(from + t + 1) / history.closeAt(from + t) - 1;
  return out;
}
