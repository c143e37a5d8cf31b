import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigInvalidError } from '@trading-orchestrator/plugin-api';
import type { OptimizeSection } from './optimize-config.js';
import type { TrialMetrics } from './trial.js';
import type { DailyReturns } from './window-recorder.js';

/** What an objective is given of a measured trial. */
export interface MeasuredTrial {
  readonly metrics: TrialMetrics;
  /** The account's return day by day (days counted from 1970-01-01 UTC). */
  readonly returns: DailyReturns;
}

/** The number a sweep maximises, and its name in what the user reads. */
export interface Objective {
  readonly name: string;
  /** NaN when undefined for this trial (the trial is then rejected); may throw, which rejects it with the message. */
  score(trial: MeasuredTrial): number;
}

/** The objective's name as the output shows it, known before the module is loaded. */
export function objectiveName(optimize: OptimizeSection): string {
  return typeof optimize.objective === 'string' ? optimize.objective : basename(optimize.objective.module).replace(/\.[cm]?js$/, '');
}

/**
 * The sweep's objective: one of the metrics, or a module of the user's (`objective: { module: ./my-objective.mjs }`,
 * relative to the run file) whose default export takes a measured trial and returns a number. It runs in the
 * coordinator only, so workers on other machines need not have it.
 */
export async function loadObjective(optimize: OptimizeSection, configDir: string): Promise<Objective> {
  const chosen = optimize.objective;
  if (typeof chosen === 'string') return { name: chosen, score: (t) => t.metrics[chosen] };
  const file = resolve(configDir, chosen.module);
  const problem = (message: string) =>
    new ConfigInvalidError(`optimize.objective.module: ${message}`, {
      path: 'optimize.objective.module',
      problems: [{ path: 'optimize.objective.module', message, severity: 'error' }],
      hint: 'name an ES module beside the run file whose default export is (trial) => number, e.g. export default ({ metrics }) => metrics.sharpe * Math.min(1, metrics.trades / 30)',
    });
  if (!existsSync(file)) throw problem(`${file} does not exist`);
  let loaded: unknown;
  try {
    loaded = ((await import(pathToFileURL(file).href)) as { default?: unknown }).default;
  } catch (error) {
    throw problem(`${file} could not be loaded: ${(error as Error).message}`);
  }
  if (typeof loaded !== 'function') throw problem(`${file} has no default export that is a function (it exports ${typeof loaded})`);
  const fn = loaded as (trial: MeasuredTrial) => unknown;
  const name = objectiveName(optimize);
  return {
    name,
    score: (trial) => {
      const value = fn(Object.freeze({ metrics: Object.freeze({ ...trial.metrics }), returns: trial.returns }));
      if (typeof value !== 'number') throw new Error(`the objective ${name} returned ${value === null ? 'null' : typeof value}, not a number`);
      return value;
    },
  };
}
