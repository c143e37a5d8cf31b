import type { TrialOutcome } from './trial.js';

/**
 * A trial's outcome as JSON and back. JSON has no Infinity (a profit factor with no losing trade) nor NaN (a CAGR
 * under 90 days): they travel as strings, so the journal and the queue give back the numbers the trial measured.
 */
export function encodeNumbers<T>(value: T): unknown {
  return JSON.parse(JSON.stringify(value, (_, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)));
}

const SPECIAL = new Set(['Infinity', '-Infinity', 'NaN']);

export function decodeNumbers<T>(value: unknown): T {
  return JSON.parse(JSON.stringify(value), (_, v: unknown) => (typeof v === 'string' && SPECIAL.has(v) ? Number(v) : v)) as T;
}

export const encodeOutcome = (outcome: TrialOutcome) => encodeNumbers(outcome);
export const decodeOutcome = (json: unknown) => decodeNumbers<TrialOutcome>(json);
