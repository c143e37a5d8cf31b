import { z } from 'zod';

export const maCrossoverConfig = z
  .object({
    /** Bars in the fast average. */
    fast: z.number().int().min(1).default(10),
    /** Bars in the slow average; must exceed `fast`. */
    slow: z.number().int().min(2).default(30),
    average: z.enum(['sma', 'ema']).default('sma'),
    /**
     * `long-only`: a golden cross buys, a death cross exits. `long-short`: each cross targets one ordinary entry on
     * its side (the strategy's sizing rule sizes it): a death cross opens a short or reverses a long, a golden cross
     * opens a long or reverses a short, in one order on one bar. Shorts need `allowShort` and a margin account.
     */
    mode: z.enum(['long-only', 'long-short']).default('long-only'),
    /** Spread between the averages, as a fraction of the slow one, at which confidence reaches 1. */
    fullConfidenceSpread: z.number().positive().max(1).default(0.01),
    /** Crosses with a lower confidence are ignored. */
    minConfidence: z.number().min(0).max(1).default(0),
  })
  .superRefine((c, ctx) => {
    if (c.slow <= c.fast) {
      const message = `slow (${c.slow}) must be greater than fast (${c.fast})`;
      ctx.addIssue({ code: 'custom', path: ['slow'], message });
      ctx.addIssue({ code: 'custom', path: ['fast'], message });
    }
  });

export type MaCrossoverConfig = z.infer<typeof maCrossoverConfig>;
