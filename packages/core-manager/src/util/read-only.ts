import type { OrderIntent, PortfolioSnapshot, Position } from '@trading-orchestrator/plugin-api';

/**
 * What the host hands a plugin, made so no plugin can change it for the next one: frozen in place, nested objects
 * too, so a write throws in the plugin's (strict-mode) code and the guard books it as the plugin's failure.
 * Objects handed over per order or per fill, not per bar: the cost is an order's, not a bar's.
 */
export function readOnlyIntent(intent: OrderIntent): OrderIntent {
  if (Object.isFrozen(intent)) return intent;
  const signal = intent.signal as object | undefined;
  if (signal !== undefined) deepFreeze(signal);
  if (intent.trailingStop !== undefined) Object.freeze(intent.trailingStop);
  return Object.freeze(intent);
}

export function readOnlyPortfolio(portfolio: PortfolioSnapshot): PortfolioSnapshot {
  if (Object.isFrozen(portfolio)) return portfolio;
  for (const p of portfolio.positions) Object.freeze(p);
  Object.freeze(portfolio.positions);
  return Object.freeze(portfolio);
}

export function readOnlyPosition(position: Position): Position {
  return Object.freeze(position);
}

/** Freezes `value` and every object reachable from it (plain data: signals, their targets and metadata). */
export function deepFreeze<T extends object>(value: T): T {
  if (Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const key of Object.keys(value)) {
    const inner = (value as Record<string, unknown>)[key];
    if (typeof inner === 'object' && inner !== null) deepFreeze(inner);
  }
  return value;
}
