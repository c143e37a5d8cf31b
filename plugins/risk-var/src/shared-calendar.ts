/**
 * Whether every symbol's closes so far fall on the same times (minute bars of several coins, daily bars of
 * several stocks of one exchange). Then every set of symbols has the same common times, and one joint window of
 * all the symbols serves every book: a set's moments are a block of the whole covariance. It watches the n-th
 * close of each symbol: the first symbol to reach n sets its time, the others must match it. Once a symbol's
 * calendar differs (a gap, a late start, another exchange's hours), it stays false.
 */
export class SharedCalendar {
  private readonly times: Float64Array;
  /** The most closes any symbol has had. */
  private furthest = 0;
  shared = true;

  /** `capacity`: how far behind the furthest symbol another may be and still be compared. */
  constructor(private readonly capacity: number) {
    this.times = new Float64Array(capacity);
  }

  /** A symbol's `n`-th close (1-based) was at `time`. */
  add(n: number, time: number): void {
    if (!this.shared) return;
    const slot = n % this.capacity;
    if (n > this.furthest) {
      this.furthest = n;
      this.times[slot] = time;
    } else if (this.furthest - n >= this.capacity || this.times[slot] !== time) this.shared = false;
  }
}
