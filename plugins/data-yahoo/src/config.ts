import { z } from 'zod';

export const yahooSourceConfig = z.object({
  /** Include pre- and post-market bars in intraday history. */
  includePrePost: z.boolean().default(false),
  /**
   * Yahoo's OHLC are split-adjusted as served. `splits-and-dividends` also scales each bar by Yahoo's adjusted close
   * over its close, so a series has no drops on ex-dividend days (for total-return backtests).
   */
  adjust: z.enum(['splits', 'splits-and-dividends']).default('splits'),
  /** Least time between two requests to Yahoo, shared by every symbol and feed of this plugin. */
  minRequestIntervalMs: z.number().int().min(0).default(500),
  requestTimeoutMs: z.number().int().min(100).default(10_000),
  retries: z
    .object({ max: z.number().int().min(0).default(4), baseDelayMs: z.number().int().min(0).default(1_000), maxDelayMs: z.number().int().min(0).default(30_000) })
    .prefault({}),
  /** How often live quotes (one request for all symbols) and live bars (one request per symbol) are polled. */
  pollIntervalMs: z.number().int().min(250).default(5_000),
  /** Live bars: how long after a bar's period ends it is taken as final (Yahoo's latest rows still change briefly). */
  barCloseDelayMs: z.number().int().min(0).default(15_000),
});

export type YahooSourceConfig = z.infer<typeof yahooSourceConfig>;
