export interface OverfittingOptions {
  /** S, the number of equal blocks the periods are cut into: even, at least 2, at most 20. Default 16 (fewer when there are fewer periods). */
  readonly partitions?: number;
}

export interface BacktestOverfitting {
  /** The share of splits in which the in-sample best trial ranks at or below the out-of-sample median. */
  readonly probability: number;
  /** The logit of the in-sample best trial's out-of-sample relative rank, one per split. */
  readonly logits: readonly number[];
  readonly partitions: number;
  readonly splits: number;
}

/**
 * Probability of backtest overfitting by combinatorially symmetric cross-validation (Bailey, Borwein, López de Prado
 * and Zhu, 2015). `returns[n]` are trial n's returns over the same T periods. The periods are cut into S blocks;
 * for each of the C(S, S/2) ways to choose half of them as in-sample, the trial with the best in-sample Sharpe ratio
 * is ranked out-of-sample among all trials (ties share their rank), its relative rank ω = rank / (N + 1) becomes the
 * logit λ = ln(ω / (1 − ω)), and the PBO is the share of λ ≤ 0. Undefined with fewer than two trials or four periods.
 */
export function backtestOverfitting(returns: readonly ArrayLike<number>[], options: OverfittingOptions = {}): BacktestOverfitting | undefined {
  const trials = returns.length;
  const periods = trials === 0 ? 0 : Math.min(...returns.map((r) => r.length));
  if (trials < 2 || periods < 4) return undefined;
  const wanted = options.partitions ?? 16;
  if (!(Number.isInteger(wanted) && wanted >= 2 && wanted <= 20 && wanted % 2 === 0)) throw new RangeError(`partitions must be an even whole number from 2 to 20, got ${wanted}`);
  const s = Math.min(wanted, periods - (periods % 2));
  // Per trial and block: count, sum and sum of squares, so that each split adds S numbers instead of T.
  const count = new Float64Array(s);
  const sum = new Float64Array(trials * s);
  const squares = new Float64Array(trials * s);
  for (let b = 0; b < s; b++) {
    const from = Math.floor((b * periods) / s);
    const to = Math.floor(((b + 1) * periods) / s);
    count[b] = to - from;
    for (let n = 0; n < trials; n++) {
      const r = returns[n]!;
      let a = 0;
      let q = 0;
      for (let t = from; t < to; t++) {
        a += r[t]!;
        q += r[t]! * r[t]!;
      }
      sum[n * s + b] = a;
      squares[n * s + b] = q;
    }
  }
  const sharpeOf = (n: number, mask: number, inSample: boolean): number => {
    let c = 0;
    let a = 0;
    let q = 0;
    for (let b = 0; b < s; b++) {
      if ((((mask >> b) & 1) === 1) !== inSample) continue;
      c += count[b]!;
      a += sum[n * s + b]!;
      q += squares[n * s + b]!;
    }
    const mean = a / c;
    const variance = c > 1 ? Math.max(0, (q - c * mean * mean) / (c - 1)) : 0;
    const sd = Math.sqrt(variance);
    if (sd > 1e-15) return mean / sd;
    return mean > 0 ? Number.POSITIVE_INFINITY : mean < 0 ? Number.NEGATIVE_INFINITY : 0;
  };
  const logits: number[] = [];
  const half = s / 2;
  const outOfSample = new Float64Array(trials);
  for (let mask = 0; mask < 1 << s; mask++) {
    if (popcount(mask) !== half) continue;
    let best = 0;
    let bestSharpe = Number.NEGATIVE_INFINITY;
    for (let n = 0; n < trials; n++) {
      const v = sharpeOf(n, mask, true);
      if (v > bestSharpe) {
        bestSharpe = v;
        best = n;
      }
    }
    for (let n = 0; n < trials; n++) outOfSample[n] = sharpeOf(n, mask, false);
    let below = 0;
    let ties = 0;
    for (let n = 0; n < trials; n++) {
      if (n === best) continue;
      if (outOfSample[n]! < outOfSample[best]!) below++;
      else if (outOfSample[n]! === outOfSample[best]!) ties++;
    }
    const omega = (below + ties / 2 + 1) / (trials + 1);
    logits.push(Math.log(omega / (1 - omega)));
  }
  const overfit = logits.filter((l) => l <= 0).length;
  return { probability: overfit / logits.length, logits, partitions: s, splits: logits.length };
}

function popcount(x: number): number {
  let c = 0;
  for (let v = x; v !== 0; v &= v - 1) c++;
  return c;
}
