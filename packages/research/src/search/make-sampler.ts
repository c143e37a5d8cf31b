import type { ResolvedSpace } from '../space/resolved-space.js';
import { GridSearch, MAX_GRID } from './grid-search.js';
import { RandomSearch } from './random-search.js';
import type { Sampler, SearchMethod } from './sampler.js';
import { SeededRandom } from './seeded-random.js';
import { TpeSearch } from './tpe-search.js';

/** The sampler of a sweep; a grid is shuffled when `trials` are fewer than its combinations. */
export function makeSampler(method: SearchMethod, space: ResolvedSpace, seed: number, trials: number): Sampler {
  const random = new SeededRandom(seed);
  switch (method) {
    case 'grid': {
      const size = space.gridSize();
      if (size > MAX_GRID) throw new RangeError(`the grid has ${size.toLocaleString('en-US')} combinations, more than ${MAX_GRID.toLocaleString('en-US')}; use method: random or tpe, or give the settings larger steps`);
      return new GridSearch(space, random, trials);
    }
    case 'random':
      return new RandomSearch(space, random);
    case 'tpe':
      return new TpeSearch(space, random);
  }
}
