import { normalDensity, normalQuantile } from './normal.js';

export interface TailRisk {
  /** Loss not exceeded with the given confidence; positive is a loss. */
  readonly valueAtRisk: number;
  /** Mean loss in the tail at and beyond VaR. */
  readonly expectedShortfall: number;
}

/** Reused by `historicalTailRisk`, which runs on every order check: grown, never shrunk. */
let scratch = new Float64Array(256);
/** Up to this many tail scenarios are kept in a sorted buffer in one pass; more are found by selection. */
const SMALL_TAIL = 32;
const tail = new Float64Array(SMALL_TAIL);

/**
 * Historical simulation on scenario P&L (one value per past period, in currency). With n scenarios and
 * confidence α the tail holds m = ceil(n·(1−α)) scenarios: VaR is the smallest loss in the tail (the m-th
 * worst) and ES the mean of the m worst losses. The tail is found in O(n), never by sorting: a small one (the
 * usual case, e.g. 3 of 250 at 99%) in a single pass that keeps the m worst so far, a large one by selection.
 */
export function historicalTailRisk(pnl: ArrayLike<number>, confidence: number): TailRisk {
  const n = pnl.length;
  if (n === 0) throw new RangeError('historical VaR needs at least one scenario');
  const m = tailSize(n, confidence);
  if (m <= SMALL_TAIL) return smallTail(pnl, n, m);
  if (scratch.length < n) scratch = new Float64Array(Math.max(n, 2 * scratch.length));
  const losses = scratch;
  for (let i = 0; i < n; i++) losses[i] = -pnl[i]!;
  selectLargest(losses, n, m);
  let sum = 0;
  for (let i = 0; i < m; i++) sum += losses[i]!;
  return { valueAtRisk: losses[m - 1]!, expectedShortfall: sum / m };
}

/** Scenarios in the tail of n at confidence α: ceil(n·(1−α)), at least one. */
function tailSize(n: number, confidence: number): number {
  return Math.max(1, Math.ceil(n * (1 - confidence) - 1e-9));
}

/** The m worst losses kept in descending order in `tail` while the scenarios go by. */
function smallTail(pnl: ArrayLike<number>, n: number, m: number): TailRisk {
  let kept = 0;
  for (let i = 0; i < n; i++) {
    const loss = -pnl[i]!;
    if (kept === m && !(loss > tail[m - 1]!)) continue;
    let j = kept < m ? kept++ : m - 1;
    while (j > 0 && tail[j - 1]! < loss) {
      tail[j] = tail[j - 1]!;
      j--;
    }
    tail[j] = loss;
  }
  let sum = 0;
  for (let i = 0; i < m; i++) sum += tail[i]!;
  return { valueAtRisk: tail[m - 1]!, expectedShortfall: sum / m };
}

/** Reorders `a[0, n)` so that `a[0, k)` hold its k largest values and `a[k − 1]` is the k-th largest (Hoare's selection). */
function selectLargest(a: Float64Array, n: number, k: number): void {
  const target = k - 1;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! > pivot) i++;
      while (a[j]! < pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i++] = a[j]!;
        a[j--] = t;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else return;
  }
}

/** Square-root-of-time scaling from one period to `horizon` periods (assumes independent, identically distributed returns). */
export function scaleToHorizon(risk: TailRisk, horizon: number): TailRisk {
  const k = Math.sqrt(horizon);
  return { valueAtRisk: risk.valueAtRisk * k, expectedShortfall: risk.expectedShortfall * k };
}

export interface ParametricRisk extends TailRisk {
  /** Standard deviation of portfolio P&L per period, in currency. */
  readonly sigma: number;
  /** Per position: ∂VaR/∂value (marginal VaR, per unit of currency held). */
  readonly marginal: Float64Array;
  /** Per position: value × marginal VaR; they add up to the VaR's volatility part. */
  readonly component: Float64Array;
}

/**
 * Variance–covariance VaR of positions `values` (currency, signed) given the per-period covariance and mean of
 * returns: VaR = z·σ·√h − μ·h with σ² = vᵀΣv, ES = σ·φ(z)/(1−α)·√h − μ·h. Marginal and component VaR are the
 * Euler decomposition of the z·σ·√h part.
 */
export function parametricRisk(values: ArrayLike<number>, covariance: readonly Float64Array[], means: ArrayLike<number>, confidence: number, horizon: number): ParametricRisk {
  const k = values.length;
  const sigmaV = new Float64Array(k);
  let variance = 0;
  let mu = 0;
  for (let i = 0; i < k; i++) {
    let s = 0;
    for (let j = 0; j < k; j++) s += covariance[i]![j]! * values[j]!;
    sigmaV[i] = s;
    variance += values[i]! * s;
    mu += values[i]! * means[i]!;
  }
  const sigma = Math.sqrt(Math.max(variance, 0));
  const z = normalQuantile(confidence);
  const root = Math.sqrt(horizon);
  const marginal = new Float64Array(k);
  const component = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    marginal[i] = sigma === 0 ? 0 : (z * root * sigmaV[i]!) / sigma;
    component[i] = values[i]! * marginal[i]!;
  }
  return {
    valueAtRisk: z * sigma * root - mu * horizon,
    expectedShortfall: ((sigma * normalDensity(z)) / (1 - confidence)) * root - mu * horizon,
    sigma,
    marginal,
    component,
  };
}

/** Sample means and covariance (divide by n − 1) of aligned return series. */
export function covarianceOf(series: readonly Float64Array[]): { means: Float64Array; covariance: Float64Array[] } {
  const k = series.length;
  const n = series[0]?.length ?? 0;
  const means = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let s = 0;
    for (let t = 0; t < n; t++) s += series[i]![t]!;
    means[i] = n === 0 ? 0 : s / n;
  }
  const covariance = Array.from({ length: k }, () => new Float64Array(k));
  for (let i = 0; i < k; i++) {
    for (let j = i; j < k; j++) {
      let s = 0;
      for (let t = 0; t < n; t++) s += (series[i]![t]! - means[i]!) * (series[j]![t]! - means[j]!);
      const c = n > 1 ? s / (n - 1) : 0;
      covariance[i]![j] = c;
      covariance[j]![i] = c;
    }
  }
  return { means, covariance };
}

/** Correlation matrix from a covariance matrix (0 where a variance is 0). */
export function correlationOf(covariance: readonly Float64Array[]): Float64Array[] {
  const k = covariance.length;
  const out: Float64Array[] = [];
  for (let i = 0; i < k; i++) {
    const row = new Float64Array(k);
    for (let j = 0; j < k; j++) {
      const d = Math.sqrt(covariance[i]![i]! * covariance[j]![j]!);
      row[j] = d === 0 ? (i === j ? 1 : 0) : covariance[i]![j]! / d;
    }
    out.push(row);
  }
  return out;
}

/** Herfindahl–Hirschman index of absolute position values: 1/k for k equal positions, 1 for one. */
export function herfindahl(values: ArrayLike<number>): number {
  let gross = 0;
  for (let i = 0; i < values.length; i++) gross += Math.abs(values[i]!);
  if (gross === 0) return 0;
  let h = 0;
  for (let i = 0; i < values.length; i++) h += (values[i]! / gross) ** 2;
  return h;
}
