import { z } from 'zod';

export const rsiConfig = z
  .object({
    period: z.number().int().min(2).default(14),
    /** Below this the market is oversold: enter long. */
    oversold: z.number().gt(0).lt(100).default(30),
    /** Above this it is overbought: enter short (long-short mode). */
    overbought: z.number().gt(0).lt(100).default(70),
    /** RSI back at this level means it has normalised: exit. */
    exitLevel: z.number().gt(0).lt(100).default(50),
    mode: z.enum(['long-only', 'long-short']).default('long-only'),
    /** Bars over which price and RSI slopes are compared for divergence; 0 turns it off. */
    divergenceLookback: z.number().int().min(0).default(14),
    /** Stop-loss and take-profit distances from the entry close, as fractions. */
    stopLossPct: z.number().positive().lt(1).default(0.02),
    takeProfitPct: z.number().positive().default(0.04),
  })
  .superRefine((c, ctx) => {
    if (!(c.oversold < c.exitLevel)) {
      ctx.addIssue({ code: 'custom', path: ['exitLevel'], message: `exitLevel (${c.exitLevel}) must be above oversold (${c.oversold})` });
    }
    if (!(c.exitLevel < c.overbought)) {
      ctx.addIssue({ code: 'custom', path: ['exitLevel'], message: `exitLevel (${c.exitLevel}) must be below overbought (${c.overbought})` });
    }
    if (c.divergenceLookback === 1) {
      ctx.addIssue({ code: 'custom', path: ['divergenceLookback'], message: 'divergenceLookback must be 0 (off) or at least 2' });
    }
  });

export type RsiConfig = z.infer<typeof rsiConfig>;
