import type { Tick } from '@trading-orchestrator/plugin-api';
import { FUTURE_TOLERANCE_MS } from './checked-series.js';

/** Why the host refused a trade print a data plugin gave it. */
export type TickRefusal = 'BAD_TICK' | 'WRONG_SERIES' | 'FROM_THE_FUTURE';

/**
 * What is wrong with a trade print, as a refusal code and a sentence, or undefined when the host takes it: a price
 * that is not positive and finite, a negative or non-finite size, a time that is not a finite number or lies more
 * than a day past `now`, or a symbol the session does not trade. Prints may come out of order (venues batch them).
 */
export function tickProblem(tick: Tick, symbols: ReadonlySet<string>, now: number): [TickRefusal, string] | undefined {
  if (typeof tick !== 'object' || tick === null) return ['BAD_TICK', 'not a trade print object'];
  if (!(typeof tick.price === 'number' && tick.price > 0 && Number.isFinite(tick.price))) return ['BAD_TICK', `price must be a positive finite number, got ${String(tick.price)}`];
  if (!(typeof tick.size === 'number' && tick.size >= 0 && Number.isFinite(tick.size))) return ['BAD_TICK', `size must be a finite number of at least 0, got ${String(tick.size)}`];
  if (!(typeof tick.time === 'number' && Number.isFinite(tick.time))) return ['BAD_TICK', `time must be epoch milliseconds, got ${String(tick.time)}`];
  if (!symbols.has(tick.symbol)) return ['WRONG_SERIES', `a print of ${String(tick.symbol)}, which the session does not trade`];
  if (tick.time > now + FUTURE_TOLERANCE_MS) return ['FROM_THE_FUTURE', `a print of ${new Date(tick.time).toISOString()}, more than a day after this machine's clock`];
  return undefined;
}
