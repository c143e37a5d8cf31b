/**
 * A streaming calculator: O(1) per update, bounded state. Outputs are NaN until `isStable`, which is true from
 * the `warmup`-th input on.
 */
export interface StreamingIndicator {
  /** Inputs needed before the first output. */
  readonly warmup: number;
  readonly isStable: boolean;
  reset(): void;
}

export interface SingleOutput extends StreamingIndicator {
  /** The latest output (NaN before warm-up). */
  readonly value: number;
  update(value: number): number;
}

export function checkPeriod(name: string, period: number, min = 1): void {
  if (!Number.isInteger(period) || period < min) throw new RangeError(`${name} period must be an integer >= ${min}, got ${period}`);
}
