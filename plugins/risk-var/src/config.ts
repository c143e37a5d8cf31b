import { TIMEFRAMES } from '@trading-orchestrator/plugin-api';
import { z } from 'zod';

export const varConfig = z
  .object({
    /** VaR and ES confidence, e.g. 0.99. */
    confidence: z.number().gt(0.5).lt(1).default(0.99),
    /** Horizon in bars; one-bar figures are scaled by √horizon. */
    horizonBars: z.number().int().min(1).max(250).default(1),
    /** Returns kept per symbol (the look-back of both methods). */
    window: z.number().int().min(10).max(10_000).default(250),
    /** Common returns needed before a symbol's risk is trusted. */
    minHistory: z.number().int().min(2).default(60),
    /** Which VaR the limit uses. Both are reported. */
    method: z.enum(['historical', 'parametric']).default('historical'),
    /** Bars of this timeframe feed the returns; default: the first timeframe seen for each symbol. */
    timeframe: z.enum(TIMEFRAMES).optional(),
    /** Portfolio VaR limit as a share of equity. */
    maxVarPct: z.number().positive().max(1).default(0.02),
    /** Largest position, |value| / equity: by default no more than the account (a cash account cannot hold more). */
    maxPositionWeight: z.number().positive().max(10).default(1),
    /** Utilisation of the VaR limit at which a warning is raised. */
    warnAt: z.number().gt(0).lt(1).default(0.8),
    /** Over a limit: shrink the order to the largest quantity that fits (the default), or deny it. */
    onLimit: z.enum(['deny', 'resize']).default('resize'),
    /** A symbol without `minHistory` returns: deny its orders, or allow them with a warning event. */
    insufficientHistory: z.enum(['deny', 'allow-with-warning']).default('deny'),
  })
  .superRefine((c, ctx) => {
    if (c.minHistory > c.window) {
      ctx.addIssue({ code: 'custom', path: ['minHistory'], message: `minHistory (${c.minHistory}) cannot exceed window (${c.window})` });
    }
  });

export type VarConfig = z.infer<typeof varConfig>;
