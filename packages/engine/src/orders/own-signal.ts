import type { Signal } from '@trading-orchestrator/plugin-api';

/**
 * The engine's own copy of a signal a strategy made, frozen: the strategy may reuse or change its object afterwards
 * without touching the order it asked for, and no plugin that hears the signal on the bus can change it for
 * another. Nested targets, deltas and stops are copied; `metadata` one level deep (it is the strategy's notes).
 */
export function ownSignal(signal: Signal): Signal {
  const copy: { -readonly [K in keyof Signal]: Signal[K] } = { ...signal };
  if (signal.target !== undefined) copy.target = Object.freeze({ ...signal.target });
  if (signal.delta !== undefined) copy.delta = Object.freeze({ ...signal.delta });
  if (signal.trailingStop !== undefined) copy.trailingStop = Object.freeze({ ...signal.trailingStop });
  if (signal.metadata !== undefined) copy.metadata = Object.freeze({ ...signal.metadata });
  return Object.freeze(copy);
}
