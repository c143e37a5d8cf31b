import type { ParamValue, ParamValues } from '@trading-orchestrator/plugin-api';
import type { ResolvedSpace } from '../space/resolved-space.js';
import type { Sampler } from './sampler.js';
import type { SeededRandom } from './seeded-random.js';

/** The most combinations a grid may have: beyond it, random or TPE search covers the space better anyway. */
export const MAX_GRID = 1_000_000;

/**
 * Every combination of the settings' grid values that meets the conditions. When the sweep tries fewer than all
 * of them, they come in a seeded random order, so a partial grid is an even sample rather than one corner.
 */
export class GridSearch implements Sampler {
  private readonly combos: ParamValues[] = [];
  private next = 0;

  constructor(space: ResolvedSpace, random: SeededRandom, trials: number) {
    const axes = space.dimensions.map((d) => d.gridValues());
    const index = axes.map(() => 0);
    for (;;) {
      const values: Record<string, ParamValue> = {};
      space.dimensions.forEach((d, i) => (values[d.name] = axes[i]![index[i]!]!));
      if (space.allows(values)) this.combos.push(values);
      let i = axes.length - 1;
      while (i >= 0 && ++index[i]! === axes[i]!.length) index[i--] = 0;
      if (i < 0) break;
    }
    if (trials < this.combos.length) {
      for (let i = this.combos.length - 1; i > 0; i--) {
        const j = random.below(i + 1);
        [this.combos[i], this.combos[j]] = [this.combos[j]!, this.combos[i]!];
      }
    }
  }

  /** Combinations that meet the conditions. */
  get size(): number {
    return this.combos.length;
  }

  ask(): ParamValues | undefined {
    return this.combos[this.next++];
  }

  tell(): void {}
}
