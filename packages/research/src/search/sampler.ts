import type { ParamValues } from '@trading-orchestrator/plugin-api';

/**
 * A search strategy seen from the sweep: it proposes combinations and is told how each scored. Higher scores are
 * better; a trial that failed or broke a constraint scores -Infinity. Given the same seed and the same scores in
 * the same order, a sampler proposes the same combinations: a resumed sweep replays its finished trials into it.
 */
export interface Sampler {
  /** The next combination to try, or undefined when none is left that meets the conditions and was not tried. */
  ask(): ParamValues | undefined;
  tell(values: ParamValues, score: number): void;
}

export type SearchMethod = 'grid' | 'random' | 'tpe';

/** Proposals that find nothing new within this many draws mean the space is used up. */
export const MAX_DRAWS = 1_000;
