import type { ParamSpec, ParamValue } from '@trading-orchestrator/plugin-api';
import type { SeededRandom } from '../search/seeded-random.js';

type NumericSpec = Extract<ParamSpec, { type: 'int' | 'float' }>;

/**
 * One searched setting. Numeric settings are searched in an internal coordinate: the value itself, or its
 * logarithm on a log scale, so that samplers work on a plain interval and `valueAt` maps back onto the setting's
 * grid (whole numbers, steps from `min`).
 */
export class Dimension {
  constructor(
    readonly name: string,
    readonly spec: ParamSpec,
  ) {}

  /** The internal interval of a numeric setting. */
  get low(): number {
    const s = this.spec as NumericSpec;
    return s.log === true ? Math.log(s.min) : s.min;
  }

  get high(): number {
    const s = this.spec as NumericSpec;
    return s.log === true ? Math.log(s.max) : s.max;
  }

  /** The setting's value at internal coordinate `u`, clamped to the range and put on its grid. */
  valueAt(u: number): number {
    const s = this.spec as NumericSpec;
    const x = s.log === true ? Math.exp(u) : u;
    return snap(s, x);
  }

  /** The internal coordinate of a value (numeric) or its index among the choices. */
  coordinateOf(value: ParamValue): number {
    if (this.spec.type === 'choice') return this.spec.values.indexOf(value);
    const x = value as number;
    return this.spec.log === true ? Math.log(x) : x;
  }

  /** Uniform over the range (log-uniform on a log scale), or one of the choices. */
  sample(random: SeededRandom): ParamValue {
    if (this.spec.type === 'choice') return this.spec.values[random.below(this.spec.values.length)]!;
    return this.valueAt(this.low + random.next() * (this.high - this.low));
  }

  /** The values a grid search tries, smallest first. */
  gridValues(): readonly ParamValue[] {
    const s = this.spec;
    if (s.type === 'choice') return s.values;
    const out: number[] = [];
    if (s.step !== undefined || s.type === 'int') {
      const step = s.step ?? 1;
      if (s.log === true) return logGrid(this, s.type === 'int' ? Math.min(s.max - s.min + 1, 10) : 5);
      for (let k = 0; s.min + k * step <= s.max + step * 1e-9; k++) out.push(snap(s, s.min + k * step));
      return out;
    }
    return logGrid(this, s.gridPoints ?? 5);
  }
}

/** `points` values evenly spread over the internal interval (even in the logarithm on a log scale), duplicates dropped. */
function logGrid(d: Dimension, points: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < points; k++) {
    const v = d.valueAt(d.low + ((d.high - d.low) * k) / Math.max(1, points - 1));
    if (out[out.length - 1] !== v) out.push(v);
  }
  return out;
}

/** Clamped to [min, max], on the step grid from min (whole numbers for int), without float noise. */
export function snap(spec: NumericSpec, x: number): number {
  let v = Math.min(spec.max, Math.max(spec.min, x));
  if (spec.step !== undefined) {
    const k = Math.round((v - spec.min) / spec.step);
    v = spec.min + k * spec.step;
    if (v > spec.max + spec.step * 1e-9) v -= spec.step;
  }
  if (spec.type === 'int') return Math.round(v);
  // 0.1 + 2 * 0.1 is 0.30000000000000004: twelve significant digits are more than any setting needs.
  return Number(v.toPrecision(12));
}
