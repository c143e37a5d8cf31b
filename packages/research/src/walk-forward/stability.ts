import type { ParamValues } from '@trading-orchestrator/plugin-api';
import type { ResolvedSpace } from '../space/resolved-space.js';

export interface ParamStability {
  readonly name: string;
  /** The value each window chose, in window order. */
  readonly chosen: readonly (string | number | boolean)[];
  /**
   * 1 when every window chose the same value, near 0 when the choices are as spread as random draws over the range:
   * numeric settings 1 − sd / sd of a uniform draw over the range (floored at 0); choices, the share of the most chosen.
   */
  readonly stability: number;
}

/** How consistently the windows of a walk-forward analysis chose each setting. */
export function parameterStability(space: ResolvedSpace, chosen: readonly ParamValues[]): ParamStability[] {
  return space.dimensions.map((d) => {
    const values = chosen.map((c) => c[d.name]!);
    if (values.length === 0) return { name: d.name, chosen: values, stability: Number.NaN };
    if (d.spec.type === 'choice') {
      const counts = new Map<unknown, number>();
      for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
      return { name: d.name, chosen: values, stability: Math.max(...counts.values()) / values.length };
    }
    const xs = values.map((v) => d.coordinateOf(v));
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / xs.length);
    const uniformSd = (d.high - d.low) / Math.sqrt(12);
    return { name: d.name, chosen: values, stability: uniformSd > 0 ? Math.max(0, 1 - sd / uniformSd) : 1 };
  });
}
