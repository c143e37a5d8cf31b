import { z } from 'zod';

const fraction = z.number().positive();

export const guardsConfig = z.object({
  circuitBreaker: z
    .object({
      /** Halt new entries when equity is this far below its peak (0.2 = 20%). */
      maxDrawdownPct: fraction.max(1).default(0.2),
      /** Halt new entries when equity is this far below the day's opening equity (UTC days). */
      maxDailyLossPct: fraction.max(1).default(0.05),
      /**
       * `next-day`: resume at the next UTC day; `{ afterBars }`: resume after that many bars; `manual`: stay halted
       * for the rest of the run. On resuming, the drawdown peak restarts from current equity.
       */
      recovery: z.union([z.enum(['next-day', 'manual']), z.object({ afterBars: z.number().int().min(1) })]).default('next-day'),
    })
    .prefault({}),
  lossStreak: z
    .object({
      /** Positions closed at a loss in a row on one symbol that start a cooldown. */
      losses: z.number().int().min(1).default(3),
      /** Bars of that symbol during which no new entry is allowed. */
      cooldownBars: z.number().int().min(1).default(10),
    })
    .prefault({}),
  /** At most `maxOpenPositions` open positions among `symbols` (seed 004's groups, e.g. equity ETFs). */
  correlationGroups: z
    .array(z.object({ name: z.string().min(1), symbols: z.array(z.string().min(1)).min(2), maxOpenPositions: z.number().int().min(1) }))
    .default([]),
  exposure: z
    .object({
      /** One position's |value| / equity: by default no more than the account (a cash account cannot hold more). */
      maxPositionPct: fraction.default(1),
      /** Σ|value| / equity. */
      maxGrossExposurePct: fraction.default(2),
      /** |Σ value| / equity. */
      maxNetExposurePct: fraction.default(1),
      maxOpenPositions: z.number().int().min(1).default(20),
    })
    .prefault({}),
});

export type GuardsConfig = z.infer<typeof guardsConfig>;
