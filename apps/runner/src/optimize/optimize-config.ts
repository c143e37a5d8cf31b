import { paramSpecSchema } from '@trading-orchestrator/plugin-api';
import { z } from 'zod';

/** The metrics a sweep can maximise, all from the engine's metrics module. */
export const OBJECTIVES = ['sharpe', 'sortino', 'calmar', 'profitFactor', 'returnOverDrawdown', 'totalReturn', 'cagr'] as const;
export type Objective = (typeof OBJECTIVES)[number];

/**
 * A run file's `optimize:` section: how `trading-orchestrator optimize` searches the settings of the run's plugins.
 * What is searched: each enabled strategy's declared search space, changed by `space` (keys `<instance id>.<config
 * key>`: a range replaces or adds one, `false` leaves that setting at its configured value).
 */
export const optimizeSection = z
  .object({
    /** grid: every combination (a shuffled sample when trials are fewer); random: uniform draws; tpe: model-based. */
    method: z.enum(['grid', 'random', 'tpe']).default('tpe'),
    /** How many combinations to try (a grid may have fewer). */
    trials: z.number().int().min(1).max(100_000).default(100),
    /** One of the metrics, or `{ module: ./objective.mjs }`: a module beside the run file whose default export scores a trial. */
    objective: z.union([z.enum(OBJECTIVES), z.object({ module: z.string().min(1) }).strict()]).default('sharpe'),
    /** Same seed, same trials: what lets an interrupted sweep resume where it stopped. */
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
    constraints: z
      .object({
        /** A trial with fewer closed trades is rejected: a Sharpe ratio of two trades says nothing. */
        minTrades: z.number().int().min(0).default(1),
        /** A trial whose worst fall from a peak is deeper (0.3 = 30%) is rejected. */
        maxDrawdown: z.number().gt(0).max(1).optional(),
      })
      .strict()
      .prefault({}),
    space: z.record(z.string().regex(/^[^.]+\..+$/, 'name a setting as <instance id>.<config key>, e.g. ma-crossover.fast'), z.union([z.literal(false), paramSpecSchema])).default({}),
    /** Comparisons of searched settings by their full names, e.g. "ma-crossover.fast < ma-crossover.slow". */
    conditions: z.array(z.string()).default([]),
    /** Walk-forward analysis: choose settings on each in-sample span, test them on the span after it. */
    walkForward: z
      .object({
        inSampleDays: z.number().int().min(1),
        outOfSampleDays: z.number().int().min(1),
        /** In-sample spans all begin at the run's start (anchored) or roll forward at a fixed length. */
        anchored: z.boolean().default(false),
      })
      .strict()
      .optional(),
    /**
     * Trials proposed before the search hears how they did, and run at once. TPE's proposals depend on it (not on how
     * many threads or machines run them); grid and random search batch at least four trials per thread anyway.
     */
    batch: z.number().int().min(1).max(1_000).default(4),
    /** Worker threads on this machine: a number, or auto (one per core, at most 8). 1 runs trials in this process. */
    workers: z.union([z.number().int().min(1).max(256), z.literal('auto')]).default('auto'),
    /** Blocks the probability of backtest overfitting cuts the days into (even, 2 to 20). */
    partitions: z
      .number()
      .int()
      .min(2)
      .max(20)
      .refine((n) => n % 2 === 0, { message: 'partitions must be even' })
      .default(16),
  })
  .strict();

export type OptimizeSection = z.infer<typeof optimizeSection>;
