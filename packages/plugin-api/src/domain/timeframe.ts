import type { EpochMs } from './bar.js';

/** Bar intervals the platform understands. `1M` is a calendar month; the others are fixed lengths. */
export const TIMEFRAMES = [
  '1s', '1m', '3m', '5m', '15m', '30m',
  '1h', '2h', '4h', '6h', '8h', '12h',
  '1d', '3d', '1w', '1M',
] as const;

export type Timeframe = (typeof TIMEFRAMES)[number];

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const TIMEFRAME_MS: Readonly<Record<Timeframe, number>> = {
  '1s': SECOND,
  '1m': MINUTE,
  '3m': 3 * MINUTE,
  '5m': 5 * MINUTE,
  '15m': 15 * MINUTE,
  '30m': 30 * MINUTE,
  '1h': HOUR,
  '2h': 2 * HOUR,
  '4h': 4 * HOUR,
  '6h': 6 * HOUR,
  '8h': 8 * HOUR,
  '12h': 12 * HOUR,
  '1d': DAY,
  '3d': 3 * DAY,
  '1w': 7 * DAY,
  // Nominal 30 days: months vary, so use this only for sizing windows, never for bar boundaries.
  '1M': 30 * DAY,
};

export function isTimeframe(value: unknown): value is Timeframe {
  return typeof value === 'string' && Object.hasOwn(TIMEFRAME_MS, value);
}

/** Nominal length of one bar in milliseconds (a month counts as 30 days). */
export function timeframeToMs(timeframe: Timeframe): number {
  return TIMEFRAME_MS[timeframe];
}

/** Weeks start on Monday, 00:00 UTC (1970-01-05 was the first Monday after the epoch). */
const FIRST_MONDAY = 4 * DAY;

/**
 * The open time of the bar of `timeframe` that contains `time`: bars start on multiples of their length from the
 * epoch (UTC), weeks on Mondays, months on the first of the month.
 */
export function barOpenTime(time: EpochMs, timeframe: Timeframe): EpochMs {
  if (timeframe === '1M') {
    const date = new Date(time);
    return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
  }
  const length = TIMEFRAME_MS[timeframe];
  const offset = timeframe === '1w' ? FIRST_MONDAY : 0;
  return Math.floor((time - offset) / length) * length + offset;
}

/** When the bar of `timeframe` that contains `time` closes: the next bar's open time (a calendar month for `1M`). */
export function barCloseTime(time: EpochMs, timeframe: Timeframe): EpochMs {
  if (timeframe === '1M') {
    const date = new Date(time);
    return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
  }
  return barOpenTime(time, timeframe) + TIMEFRAME_MS[timeframe];
}

/**
 * Whether bars of `to` are whole runs of bars of `from`, so they can be built from them: every `from` bar lies
 * inside one `to` bar. True for a timeframe and itself.
 */
export function isWholeMultiple(from: Timeframe, to: Timeframe): boolean {
  const fine = TIMEFRAME_MS[from];
  // Months and weeks start at midnight, so whatever divides a day nests in them.
  if (to === '1M' || to === '1w') return from === to || DAY % fine === 0;
  if (from === '1M' || from === '1w') return false;
  return TIMEFRAME_MS[to] % fine === 0;
}
