import { z } from 'zod';

export const bollingerConfig = z.object({
  /** Bars in the moving average and standard deviation. */
  period: z.number().int().min(2).default(20),
  /** Band width in standard deviations (population σ). */
  k: z.number().positive().max(10).default(2),
  /** How far beyond the band (and beyond the entry close) the stop sits, in σ. */
  stopSigma: z.number().positive().max(10).default(1),
  /**
   * `long-only`: below the lower band buys, above the upper band exits a long. `long-short`: above the upper band
   * sells short, reversing a long in one order (and below the lower band a short).
   */
  mode: z.enum(['long-only', 'long-short']).default('long-only'),
  /** Fraction of full Kelly to suggest; the size hint is confidence × this (the seed's conservative quarter Kelly). */
  kellyFraction: z.number().positive().max(1).default(0.25),
});

export type BollingerConfig = z.infer<typeof bollingerConfig>;
