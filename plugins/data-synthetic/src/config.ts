import { z } from 'zod';

const symbolSpec = z.object({
  symbol: z.string().min(1),
  initialPrice: z.number().positive().optional(),
  /** Annualised; overrides the source's default for this symbol. */
  volatility: z.number().min(0).max(5).optional(),
  drift: z.number().min(-5).max(5).optional(),
});

export const syntheticConfig = z.object({
  /** Same seed, same prices, on every machine. */
  seed: z.number().int().default(1),
  /** Where every price path starts (UTC); requests before it get no bars. */
  origin: z.iso.date().default('2020-01-01'),
  symbols: z.array(symbolSpec).min(1).default([{ symbol: 'ALPHA' }, { symbol: 'BETA', initialPrice: 50 }, { symbol: 'GAMMA', initialPrice: 250, volatility: 0.8 }]),
  volatility: z.number().min(0).max(5).default(0.4),
  drift: z.number().min(-5).max(5).default(0.05),
  /** Occasional regime switches between calm and stormy markets. */
  regimes: z.boolean().default(true),
  gapProbability: z.number().min(0).max(1).default(0),
  /** `continuous` (crypto-like) or `us-equities` (weekdays 14:30–21:00 UTC). */
  session: z.enum(['continuous', 'us-equities']).default('continuous'),
});

export type SyntheticConfig = z.infer<typeof syntheticConfig>;
