/** What the overfitting guards need to know of a return series. */
export interface ReturnMoments {
  readonly count: number;
  readonly mean: number;
  /** Sample standard deviation (n − 1). */
  readonly std: number;
  /** Mean over standard deviation, per period (not annualised); 0 for a flat series. */
  readonly sharpe: number;
  readonly skewness: number;
  /** Non-excess: 3 for a normal distribution. */
  readonly kurtosis: number;
}

/** Moments of a series of period returns; skewness and kurtosis are the population ones López de Prado uses. */
export function returnMoments(returns: ArrayLike<number>): ReturnMoments {
  const n = returns.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += returns[i]!;
  mean /= Math.max(1, n);
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = returns[i]! - mean;
    m2 += d * d;
    m3 += d * d * d;
    m4 += d * d * d * d;
  }
  const variance = n > 1 ? m2 / (n - 1) : 0;
  const std = Math.sqrt(variance);
  const pop = m2 / Math.max(1, n);
  const skewness = pop > 0 ? m3 / n / pop ** 1.5 : 0;
  const kurtosis = pop > 0 ? m4 / n / (pop * pop) : 3;
  return { count: n, mean, std, sharpe: std > 0 ? mean / std : 0, skewness, kurtosis };
}
