import type { Bar } from '../domain/bar.js';
import type { PluginLogger } from '../plugin/context.js';
import { checkBar } from './check-bar.js';

/**
 * The way a plugin turns away a bar it must not use: a bar that breaks the contract, or one not after
 * `previousTime` for its symbol. Logs a warning naming the reason (what the conformance suites check) and
 * returns true; returns false, logging nothing, for a sound bar.
 */
export function rejectBadBar(bar: Bar, logger: PluginLogger, previousTime?: number): boolean {
  const problem = checkBar(bar);
  if (problem !== undefined) {
    logger.warn(`bar rejected: ${problem}`, { symbol: bar.symbol, time: bar.time });
    return true;
  }
  if (previousTime !== undefined && bar.time <= previousTime) {
    logger.warn(`bar rejected: time ${bar.time} is not after the previous bar's ${previousTime}`, { symbol: bar.symbol });
    return true;
  }
  return false;
}
