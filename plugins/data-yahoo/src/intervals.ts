import type { Timeframe } from '@trading-orchestrator/plugin-api';

/** Our timeframes that Yahoo's chart API serves, with its name for each. */
export const YAHOO_INTERVALS: Partial<Readonly<Record<Timeframe, string>>> = {
  '1m': '1m', '5m': '5m', '15m': '15m', '30m': '30m', '1h': '60m', '1d': '1d', '1w': '1wk', '1M': '1mo',
};

const DAY = 86_400_000;

/**
 * The longest span Yahoo serves in one intraday request (it refuses 1m over more than 8 days, 5m–30m over 60, and
 * hourly over 730). Longer ranges are fetched in windows of this size.
 */
export const MAX_WINDOW_MS: Partial<Readonly<Record<Timeframe, number>>> = {
  '1m': 7 * DAY, '5m': 59 * DAY, '15m': 59 * DAY, '30m': 59 * DAY, '1h': 729 * DAY,
};
