import type { OrderSide, PositionDelta, PositionTarget, Signal } from '@trading-orchestrator/plugin-api';

/**
 * Why the engine did not act on a signal (or on all of it). Each is journaled with a message naming the numbers
 * behind it; docs/config-reference.md lists them with the setting that changes each.
 */
export const IGNORE_CODES = [
  'WARMING_UP',
  'SYMBOL_NOT_TRADED',
  'NOTHING_TO_EXIT',
  'NO_POSITION',
  'PYRAMIDING_LIMIT',
  'SHORTING_NOT_ALLOWED',
  'ALREADY_AT_TARGET',
  'SIZED_TO_ZERO',
  'BELOW_MINIMUM',
  'INSUFFICIENT_FUNDS',
  'NO_PRICE',
  'ATR_UNAVAILABLE',
  'RUN_ENDED',
  'SIGNAL_LIMIT',
] as const;
export type IgnoreCode = (typeof IGNORE_CODES)[number];

/**
 * A reason for not acting, with its message made only when asked for: most ignored signals are counted and nobody
 * reads their words, which name numbers (and formatting a number costs more than the rest of the plan).
 */
export interface Ignored {
  readonly code: IgnoreCode;
  readonly message: () => string;
}

/** What the strategy holds and has working in the symbol when a signal is acted on. */
export interface PositionFacts {
  /** Filled, signed. */
  readonly held: number;
  /** Σ what is left of its working orders, signed. */
  readonly working: number;
  /** Entry orders (opening or adding) since the position was last flat, working ones included. */
  readonly entries: number;
  /** Adds a plain `buy` or `sell` may make to an open position. */
  readonly pyramiding: number;
  readonly allowShort: boolean;
}

/** How the plan turns a signal's sizes into units of the symbol. */
export interface Sizes {
  /** The quantity of one ordinary entry by the strategy's sizing rule, or why there is none. */
  entry(): number | Ignored;
  /** Units worth `value` of the account's currency at the sizing price. */
  unitsWorth(value: number): number;
  /** The account's equity and the strategy's. */
  readonly accountEquity: number;
  readonly strategyEquity: number;
}

/** An order to make: which side, how much, and what of it only reduces. */
export interface PlannedOrder {
  readonly side: OrderSide;
  /** Before rounding to the instrument's lot. */
  readonly quantity: number;
  /** The order only takes the position towards flat. */
  readonly reduceOnly: boolean;
  /** Units that open or add exposure (the far side of a reversal, all of an entry); 0 for a reduction. */
  readonly opens: number;
  /** Whether it counts as an entry (opens or adds) for `pyramiding`. */
  readonly entry: boolean;
}

export interface Plan {
  /** Cancel the position's working orders first (a target or a full exit supersedes them). */
  readonly cancelWorking: boolean;
  readonly order: PlannedOrder | undefined;
  /** Why nothing is ordered, or why part of what was asked is not (a reversal cut to a close, say). */
  readonly ignored: Ignored | undefined;
}

const sign = (x: number) => (x > 0 ? 1 : x < 0 ? -1 : 0);

function orderFor(from: number, to: number): PlannedOrder {
  const change = to - from;
  const reduceOnly = from !== 0 && sign(to) !== -sign(from) && Math.abs(to) < Math.abs(from);
  const opens = sign(to) === sign(from) ? Math.max(0, Math.abs(to) - Math.abs(from)) : Math.abs(to);
  return { side: change > 0 ? 'buy' : 'sell', quantity: Math.abs(change), reduceOnly, opens, entry: opens > 0 };
}

const describe = (q: number) => (q === 0 ? 'flat' : `${q > 0 ? 'long' : 'short'} ${Math.abs(q)}`);
const plan = (order: PlannedOrder | undefined, ignored?: Ignored, cancelWorking = false): Plan => ({ cancelWorking, order, ignored });
const ignore = (code: IgnoreCode, message: () => string, cancelWorking = false): Plan => plan(undefined, { code, message }, cancelWorking);

const noShorts = 'shorting is off (set allowShort: true with a margin account to allow it)';

function targetUnits(target: PositionTarget, sizes: Sizes): number | Ignored {
  switch (target.unit) {
    case 'units':
      return target.size;
    case 'equity':
      return sizes.unitsWorth(target.size * sizes.accountEquity);
    case 'allocation':
      return sizes.unitsWorth(target.size * sizes.strategyEquity);
    case 'entries': {
      if (target.size === 0) return 0;
      const entry = sizes.entry();
      return typeof entry === 'number' ? target.size * entry : entry;
    }
  }
}

function deltaUnits(delta: PositionDelta, projected: number, sizes: Sizes): number | Ignored {
  switch (delta.unit) {
    case 'units':
      return delta.size;
    case 'position':
      return projected === 0 ? { code: 'NO_POSITION', message: () => `a delta of ${delta.size} of the position needs a position, and the strategy is flat` } : delta.size * Math.abs(projected);
    case 'entries': {
      const entry = sizes.entry();
      return typeof entry === 'number' ? delta.size * entry : entry;
    }
  }
}

/** A move of the position from `from` to `to` that must not open a short: cut to flat, or refused. */
function withoutShort(from: number, to: number, facts: PositionFacts, what: string, cancelWorking: boolean): Plan {
  if (to >= 0 || facts.allowShort) return plan(orderFor(from, to), undefined, cancelWorking);
  if (from <= 0) return ignore('SHORTING_NOT_ALLOWED', () => `${what} would open a short: ${noShorts}`, cancelWorking);
  return plan(orderFor(from, 0), { code: 'SHORTING_NOT_ALLOWED', message: () => `${what} would reverse to a short; it only closes the long of ${from}: ${noShorts}` }, cancelWorking);
}

/**
 * What a signal makes of the position: the order to send (if any), and what to say about whatever is not done.
 * The rules, in the words of the contract:
 * - `exit` closes what is held (and cancels working entries); with a `delta` it reduces by that much, never past flat;
 * - a `target` cancels the working orders and orders the difference between the target and what is held;
 * - a `delta` orders that change on top of what is held and working;
 * - a plain `buy` opens a long when flat, adds while long up to `pyramiding` times, and closes a short (or cancels a
 *   short entry still working); a plain `sell` mirrors it.
 * Nothing here rounds to lots or checks money: that comes after, with the instrument and the account.
 */
export function planOrder(signal: Signal, facts: PositionFacts, sizes: Sizes): Plan {
  const { held, working } = facts;
  const projected = held + working;
  const { side, target, delta } = signal;
  if (side === 'exit') {
    if (delta !== undefined) {
      if (projected === 0) return ignore('NOTHING_TO_EXIT', () => 'an exit with nothing held or working');
      const size = deltaUnits(delta, projected, sizes);
      if (typeof size !== 'number') return ignore(size.code, size.message);
      const to = projected - sign(projected) * Math.min(size, Math.abs(projected));
      return plan(orderFor(projected, to));
    }
    if (held === 0) return working === 0 ? ignore('NOTHING_TO_EXIT', () => 'an exit with nothing held or working') : plan(undefined, undefined, true);
    return plan(orderFor(held, 0), undefined, working !== 0);
  }
  const direction = side === 'buy' ? 1 : -1;
  if (target !== undefined) {
    const units = targetUnits(target, sizes);
    if (typeof units !== 'number') return ignore(units.code, units.message, working !== 0);
    const to = direction * units;
    if (to === held) return ignore('ALREADY_AT_TARGET', () => `the position is already ${describe(held)}`, working !== 0);
    return withoutShort(held, to, facts, `a ${side} to a target of ${describe(to)}`, working !== 0);
  }
  if (delta !== undefined) {
    const units = deltaUnits(delta, projected, sizes);
    if (typeof units !== 'number') return ignore(units.code, units.message);
    return withoutShort(projected, projected + direction * units, facts, `a ${side} of ${units}`, false);
  }
  // A plain buy or sell.
  if (sign(held) === -direction) return plan(orderFor(held, 0), undefined, working !== 0);
  // Flat with an entry of the other direction still working: as it would close that position, it cancels the entry.
  if (held === 0 && sign(working) === -direction) return plan(undefined, undefined, true);
  if (direction < 0 && projected <= 0 && !facts.allowShort) return ignore('SHORTING_NOT_ALLOWED', () => `a sell with nothing long to close would open a short: ${noShorts}`);
  if (facts.entries > facts.pyramiding) {
    const where = () => (held === 0 ? `an entry is still working (${describe(working)})` : `the position is ${describe(held)} after ${facts.entries} entr${facts.entries === 1 ? 'y' : 'ies'}`);
    return ignore('PYRAMIDING_LIMIT', () => `${where()}; pyramiding allows ${facts.pyramiding} add${facts.pyramiding === 1 ? '' : 's'} (raise the strategy's pyramiding, or size the signal with a target or delta)`);
  }
  const entry = sizes.entry();
  if (typeof entry !== 'number') return ignore(entry.code, entry.message);
  return plan(orderFor(projected, projected + direction * entry));
}
