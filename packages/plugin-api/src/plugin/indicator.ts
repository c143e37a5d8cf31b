import type { Bar } from '../domain/bar.js';
import type { PluginLifecycle } from './lifecycle.js';

/** A streaming calculator. Allocation-free by design: outputs are written into a caller-owned array. */
export interface Indicator extends PluginLifecycle {
  /** Names of the output series, in the order they are written, e.g. `["upper", "middle", "lower"]`. */
  readonly outputs: readonly string[];
  /** Bars per symbol before the outputs are stable. */
  readonly warmupBars: number;
  /**
   * Feeds one closed bar and writes the outputs for its symbol into `out[0..outputs.length)`.
   * Returns false (and writes NaN) until the symbol has had `warmupBars` bars.
   */
  update(bar: Bar, out: Float64Array): boolean;
}
