import { z } from 'zod';

export const paperBrokerConfig = z.object({
  /** Commission in basis points of notional (10 = 0.10%). */
  feeBps: z.number().min(0).max(1_000).default(10),
  /** Per-symbol commission in bps, overriding `feeBps` (a venue's schedule). */
  feeSchedule: z.record(z.string().min(1), z.number().min(0).max(1_000)).default({}),
  /** Smallest commission per fill, in account currency. */
  minFee: z.number().min(0).default(0),
  /**
   * Adverse price move on market and stop fills: `{ bps }` of the price, or `{ rangeShare }` of the bar's
   * high−low range.
   */
  slippage: z.union([z.object({ bps: z.number().min(0).max(1_000) }), z.object({ rangeShare: z.number().min(0).max(1) })]).default({ bps: 0 }),
});

export type PaperBrokerConfig = z.infer<typeof paperBrokerConfig>;
