import type { Bar } from '../domain/bar.js';
import { isTimeframe } from '../domain/timeframe.js';

function positiveFinite(x: unknown): boolean {
  return typeof x === 'number' && Number.isFinite(x) && x > 0;
}

/**
 * The bar most recently found sound. One bar goes to the broker, every risk plugin and every strategy in turn,
 * each checking it; after the first, the check is one comparison. (Bars are read-only by contract.)
 */
let lastSound: Bar | undefined;

/**
 * Why a bar breaks the contract, or undefined when it is sound. Returns a string rather than throwing so the
 * hot path pays nothing for good bars.
 */
export function checkBar(bar: Bar): string | undefined {
  if (bar === lastSound) return undefined;
  const problem = findProblem(bar);
  if (problem === undefined) lastSound = bar;
  return problem;
}

function findProblem(bar: Bar): string | undefined {
  if (typeof bar.symbol !== 'string' || bar.symbol === '') return 'symbol must be a non-empty string';
  if (!isTimeframe(bar.timeframe)) return `timeframe ${JSON.stringify(bar.timeframe)} is not a known timeframe`;
  if (!Number.isInteger(bar.time)) return `time must be integer epoch milliseconds, got ${bar.time}`;
  if (!positiveFinite(bar.open)) return `open must be a positive finite price, got ${bar.open}`;
  if (!positiveFinite(bar.high)) return `high must be a positive finite price, got ${bar.high}`;
  if (!positiveFinite(bar.low)) return `low must be a positive finite price, got ${bar.low}`;
  if (!positiveFinite(bar.close)) return `close must be a positive finite price, got ${bar.close}`;
  if (bar.high < bar.low) return `high ${bar.high} is below low ${bar.low}`;
  if (bar.open > bar.high || bar.open < bar.low) return `open ${bar.open} lies outside [low ${bar.low}, high ${bar.high}]`;
  if (bar.close > bar.high || bar.close < bar.low) return `close ${bar.close} lies outside [low ${bar.low}, high ${bar.high}]`;
  if (typeof bar.volume !== 'number' || !(bar.volume >= 0) || !Number.isFinite(bar.volume)) {
    return `volume must be a finite number >= 0, got ${bar.volume}`;
  }
  return undefined;
}
