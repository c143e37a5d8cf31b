import type { JointReturns } from './joint-returns.js';

/**
 * A book's figures read from the window of every symbol (`JointReturns` over all of them, while they share a
 * calendar): its symbols' block of the moments and its P&L per period. `extra` is the return of a time the
 * book's symbols already have and the other symbols do not yet (bars of one time arrive one symbol after the
 * other): the book's window is then the shared one with that row added and, when full, its oldest row dropped,
 * as a window of the book's symbols alone would be.
 */
export interface ExtraRow {
  /** Per symbol of the book, in the order of `at`: its return at the new time. */
  readonly returns: Float64Array;
}

/** Means and covariance (n − 1) of the symbols at indices `at` into `means` and `covariance` (rows). */
export function blockMoments(joint: JointReturns, at: readonly number[], extra: ExtraRow | undefined, means: Float64Array, covariance: Float64Array[]): void {
  const k = at.length;
  const drop = extra !== undefined && joint.full;
  const n = joint.periods + (extra !== undefined && !drop ? 1 : 0);
  const shift = new Float64Array(k);
  const sums = new Float64Array(k);
  const dOld = new Float64Array(k);
  const dNew = new Float64Array(k);
  for (let a = 0; a < k; a++) {
    const { shift: c, sum } = joint.sumsOf(at[a]!);
    shift[a] = c;
    dOld[a] = drop ? joint.at(0, at[a]!) - c : 0;
    dNew[a] = extra === undefined ? 0 : extra.returns[a]! - c;
    sums[a] = sum - dOld[a]! + dNew[a]!;
  }
  for (let a = 0; a < k; a++) {
    means[a] = n === 0 ? 0 : shift[a]! + sums[a]! / n;
    for (let b = a; b < k; b++) {
      const p = joint.productOf(at[a]!, at[b]!) - dOld[a]! * dOld[b]! + dNew[a]! * dNew[b]!;
      const c = n > 1 ? (p - (sums[a]! * sums[b]!) / n) / (n - 1) : 0;
      covariance[a]![b] = c;
      covariance[b]![a] = c;
    }
  }
}

/**
 * The book's P&L per period, oldest first, into `out` (returns how many): `values` holds the book's values at
 * the symbols' indices and 0 elsewhere; `extraPnl` the P&L of the extra row, if any.
 */
export function blockPnl(joint: JointReturns, values: Float64Array, extraPnl: number | undefined, out: Float64Array): number {
  joint.pnlOf(values, out);
  let n = joint.periods;
  if (extraPnl === undefined) return n;
  if (joint.full) {
    out.copyWithin(0, 1, n);
    n--;
  }
  out[n] = extraPnl;
  return n + 1;
}
