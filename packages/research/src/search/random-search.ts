import type { ParamValue, ParamValues } from '@trading-orchestrator/plugin-api';
import { paramsKey, type ResolvedSpace } from '../space/resolved-space.js';
import { MAX_DRAWS, type Sampler } from './sampler.js';
import type { SeededRandom } from './seeded-random.js';

/** Draws one combination that meets the conditions and is not in `seen`; undefined after MAX_DRAWS misses. */
export function drawUnseen(space: ResolvedSpace, random: SeededRandom, seen: ReadonlySet<string>): ParamValues | undefined {
  for (let draw = 0; draw < MAX_DRAWS; draw++) {
    const values: Record<string, ParamValue> = {};
    for (const d of space.dimensions) values[d.name] = d.sample(random);
    if (space.allows(values) && !seen.has(paramsKey(values))) return values;
  }
  return undefined;
}

/** Independent uniform draws (log-uniform on log scales), each combination tried once. */
export class RandomSearch implements Sampler {
  private readonly seen = new Set<string>();

  constructor(
    private readonly space: ResolvedSpace,
    private readonly random: SeededRandom,
  ) {}

  ask(): ParamValues | undefined {
    const values = drawUnseen(this.space, this.random, this.seen);
    if (values !== undefined) this.seen.add(paramsKey(values));
    return values;
  }

  tell(): void {}
}
