import { parseTime } from './parse-time.js';

const formats = new Map<string, Intl.DateTimeFormat>();

/** Whether `timeZone` is a time zone this Node knows (an IANA name like `America/New_York`, or `UTC`). */
export function isTimeZone(timeZone: string): boolean {
  try {
    zoneFormat(timeZone);
    return true;
  } catch {
    return false;
  }
}

function zoneFormat(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formats.set(timeZone, format);
  }
  return format;
}

/** How far `timeZone`'s wall clock is ahead of UTC at the instant `utc`, in ms. */
function offsetAt(utc: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of zoneFormat(timeZone).formatToParts(utc)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const wall = Date.UTC(parts['year']!, parts['month']! - 1, parts['day']!, parts['hour']!, parts['minute']!, parts['second']!);
  return wall - (utc - (utc % 1000 + 1000) % 1000);
}

/**
 * The instant a wall-clock time in `timeZone` names (`wall` is that clock reading as if it were UTC). In the hour a
 * clock skips (spring forward) the time is read with the offset before the change; in the hour it repeats, the
 * first of the two instants is taken.
 */
export function wallClockToUtc(wall: number, timeZone: string): number {
  const first = wall - offsetAt(wall, timeZone);
  const second = wall - offsetAt(first, timeZone);
  if (first === second) return first;
  // Near a change the two guesses differ: the earlier one that reads back as `wall` wins.
  const candidates = [Math.min(first, second), Math.max(first, second)].filter((t) => t + offsetAt(t, timeZone) === wall);
  return candidates[0] ?? Math.min(first, second);
}

const HAS_CLOCK = /\d{1,2}[:-]\d{2}|\d-(AM|PM)$/i;
const HAS_ZONE = /(Z|[+-]\d{2}:?\d{2})$/;

/**
 * Epoch milliseconds from a date-time cell written in `timeZone` (UTC when undefined). Epoch numbers and values
 * with their own offset are absolute; a date without a clock time is a day, and stays at UTC midnight whatever the
 * zone, as daily bars are everywhere in this project.
 */
export function parseTimeIn(text: string, timeZone: string | undefined): number {
  const t = parseTime(text);
  if (timeZone === undefined || Number.isNaN(t)) return t;
  const s = text.trim();
  if (/^\d+(\.\d+)?$/.test(s) || HAS_ZONE.test(s) || !HAS_CLOCK.test(s.slice(8))) return t;
  return wallClockToUtc(t, timeZone);
}
