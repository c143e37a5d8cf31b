import { checkSignal, type PluginKind, type Signal } from '@trading-orchestrator/plugin-api';

/** Why a hook's return value breaks the contract, or undefined when it is sound. */
export type ReturnValidator = (value: unknown) => string | undefined;

function signalOutput(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const problem = checkSignal(value[i] as Signal);
      if (problem !== undefined) return `signal [${i}]: ${problem}`;
    }
    return undefined;
  }
  if (typeof value !== 'object') return `expected a signal, an array of signals or nothing, got ${typeof value}`;
  return checkSignal(value as Signal);
}

function riskDecision(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return `expected a risk decision object, got ${String(value)}`;
  const d = value as { action?: unknown; code?: unknown; message?: unknown; quantity?: unknown };
  if (d.action === 'allow') return undefined;
  if (d.action !== 'deny' && d.action !== 'resize') return `action must be "allow", "deny" or "resize", got ${JSON.stringify(d.action)}`;
  if (typeof d.code !== 'string' || d.code === '') return `a ${d.action} decision needs a non-empty code`;
  if (typeof d.message !== 'string' || d.message === '') return `a ${d.action} decision needs a message`;
  if (d.action === 'resize' && !(typeof d.quantity === 'number' && Number.isFinite(d.quantity) && d.quantity >= 0)) {
    return `resize quantity must be a finite number >= 0, got ${String(d.quantity)}`;
  }
  return undefined;
}

function healthReport(value: unknown): string | undefined {
  const status = (value as { status?: unknown } | null)?.status;
  return status === 'healthy' || status === 'degraded' || status === 'unhealthy'
    ? undefined
    : `expected a health report with status "healthy", "degraded" or "unhealthy", got ${JSON.stringify(status)}`;
}

function orderState(value: unknown): string | undefined {
  const o = value as { id?: unknown; status?: unknown } | null;
  return typeof o?.id === 'string' && typeof o.status === 'string' ? undefined : 'expected an order with an id and a status';
}

function instanceObject(value: unknown): string | undefined {
  return typeof value === 'object' && value !== null ? undefined : `init must return the plugin instance (an object), got ${String(value)}`;
}

function fills(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) return `expected an array of fills or nothing, got ${typeof value}`;
  for (let i = 0; i < value.length; i++) {
    const f = value[i] as { orderId?: unknown; quantity?: unknown; price?: unknown; fee?: unknown; side?: unknown };
    if (typeof f?.orderId !== 'string') return `fill [${i}] has no orderId`;
    if (f.side !== 'buy' && f.side !== 'sell') return `fill [${i}] side must be "buy" or "sell", got ${JSON.stringify(f.side)}`;
    if (!(typeof f.quantity === 'number' && f.quantity > 0 && Number.isFinite(f.quantity))) return `fill [${i}] quantity must be a positive number, got ${String(f.quantity)}`;
    if (!(typeof f.price === 'number' && f.price > 0 && Number.isFinite(f.price))) return `fill [${i}] price must be a positive finite number, got ${String(f.price)}`;
    if (!(typeof f.fee === 'number' && f.fee >= 0 && Number.isFinite(f.fee))) return `fill [${i}] fee must be a finite number >= 0, got ${String(f.fee)}`;
  }
  return undefined;
}

const INSTRUMENT_NUMBERS = ['tickSize', 'lotSize', 'minQuantity', 'maxQuantity', 'minNotional', 'multiplier'] as const;

function instruments(value: unknown): string | undefined {
  if (!Array.isArray(value)) return `expected an array of instrument specs, got ${typeof value}`;
  for (let i = 0; i < value.length; i++) {
    const spec = value[i] as Record<string, unknown> | null;
    if (typeof spec?.symbol !== 'string' || spec.symbol === '') return `instrument [${i}] has no symbol`;
    for (const field of INSTRUMENT_NUMBERS) {
      const n = spec[field];
      if (n === undefined) continue;
      const least = field === 'minQuantity' || field === 'minNotional' ? 0 : Number.MIN_VALUE;
      if (!(typeof n === 'number' && Number.isFinite(n) && n >= least)) return `instrument [${i}] (${spec.symbol}) ${field} must be a finite number ${least === 0 ? '>= 0' : '> 0'}, got ${String(n)}`;
    }
    if (spec.fractional !== undefined && typeof spec.fractional !== 'boolean') return `instrument [${i}] (${spec.symbol}) fractional must be true or false`;
  }
  return undefined;
}

function flag(value: unknown): string | undefined {
  return typeof value === 'boolean' ? undefined : `expected true or false, got ${String(value)}`;
}

/** Checks every kind shares. */
const COMMON: Readonly<Record<string, ReturnValidator>> = { init: instanceObject, health: healthReport };

/**
 * Return-value checks per plugin kind and hook: the same hook name means different things for different kinds
 * (a strategy's `onBar` returns signals, a broker's returns fills). Hooks not listed return nothing the host reads.
 */
export const RETURN_VALIDATORS: Readonly<Record<PluginKind, Readonly<Record<string, ReturnValidator>>>> = {
  strategy: { ...COMMON, onBar: signalOutput, onTick: signalOutput, onAlert: signalOutput },
  risk: { ...COMMON, checkOrder: riskDecision },
  broker: { ...COMMON, submit: orderState, onBar: fills },
  indicator: { ...COMMON, update: flag },
  data: { ...COMMON, instruments },
  notifier: { ...COMMON },
  panel: {},
};
