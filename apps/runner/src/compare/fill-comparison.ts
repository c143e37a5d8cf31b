import type { OrderSide } from '@trading-orchestrator/plugin-api';

/** A fill as compared: the session's from its journal, the backtest's from its bus. */
export interface ComparedFill {
  readonly orderId: string;
  readonly strategyId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly quantity: number;
  readonly price: number;
  readonly fee: number;
  readonly time: number;
}

/**
 * One order's fills together, what a trader reads as one execution: a fill's fields, with the quantity and fee
 * summed, the price volume-weighted, and the time of its first fill.
 */
export type Execution = ComparedFill;

/** A session's execution beside the backtest's of the same bar, or either alone. */
export interface Pairing {
  readonly session: Execution | undefined;
  readonly backtest: Execution | undefined;
  /** How much worse the session's price was, in basis points of the backtest's (negative: better). */
  readonly priceBps: number | undefined;
  /** What the price difference cost on the quantity both filled, in the account currency (negative: gained). */
  readonly priceCost: number | undefined;
}

export interface ComparisonSummary {
  readonly matched: number;
  readonly onlyInSession: number;
  readonly onlyInBacktest: number;
  /** Quantity-weighted mean of `priceBps` over the matched executions. */
  readonly meanPriceBps: number | undefined;
  readonly priceCost: number;
  /** The session's fees less the backtest's, over the matched executions. */
  readonly feeDifference: number;
}

/** Fills grouped into executions by order, oldest first. */
export function executionsOf(fills: readonly ComparedFill[]): Execution[] {
  const byOrder = new Map<string, { first: ComparedFill; quantity: number; notional: number; fee: number }>();
  for (const f of fills) {
    const e = byOrder.get(f.orderId);
    if (e === undefined) byOrder.set(f.orderId, { first: f, quantity: f.quantity, notional: f.quantity * f.price, fee: f.fee });
    else {
      e.quantity += f.quantity;
      e.notional += f.quantity * f.price;
      e.fee += f.fee;
    }
  }
  return [...byOrder.values()]
    .map(({ first, quantity, notional, fee }) => ({ orderId: first.orderId, strategyId: first.strategyId, symbol: first.symbol, side: first.side, quantity, price: notional / quantity, fee, time: first.time }))
    .sort((a, b) => a.time - b.time);
}

/**
 * Pairs each session execution with the backtest's of the same strategy, symbol and side within `toleranceMs` (a
 * live fill comes some time into the bar whose open the backtest fills at), in time order; the rest are alone.
 */
export function pairExecutions(session: readonly Execution[], backtest: readonly Execution[], toleranceMs: number): Pairing[] {
  const key = (e: Execution) => `${e.strategyId}\u0000${e.symbol}\u0000${e.side}`;
  const groups = new Map<string, { s: Execution[]; b: Execution[] }>();
  for (const e of session) (groups.get(key(e)) ?? groups.set(key(e), { s: [], b: [] }).get(key(e))!).s.push(e);
  for (const e of backtest) (groups.get(key(e)) ?? groups.set(key(e), { s: [], b: [] }).get(key(e))!).b.push(e);
  const out: Pairing[] = [];
  for (const { s, b } of groups.values()) {
    let i = 0;
    let j = 0;
    while (i < s.length || j < b.length) {
      const a = s[i];
      const c = b[j];
      if (a !== undefined && c !== undefined && Math.abs(a.time - c.time) <= toleranceMs) {
        out.push(paired(a, c));
        i++;
        j++;
      } else if (c === undefined || (a !== undefined && a.time < c.time)) {
        out.push({ session: a, backtest: undefined, priceBps: undefined, priceCost: undefined });
        i++;
      } else {
        out.push({ session: undefined, backtest: c, priceBps: undefined, priceCost: undefined });
        j++;
      }
    }
  }
  return out.sort((x, y) => (x.session ?? x.backtest)!.time - (y.session ?? y.backtest)!.time);
}

function paired(session: Execution, backtest: Execution): Pairing {
  const sign = session.side === 'buy' ? 1 : -1;
  const priceBps = (sign * (session.price - backtest.price) * 10_000) / backtest.price;
  const priceCost = sign * (session.price - backtest.price) * Math.min(session.quantity, backtest.quantity);
  return { session, backtest, priceBps, priceCost };
}

export function summarise(pairings: readonly Pairing[]): ComparisonSummary {
  let matched = 0;
  let onlyInSession = 0;
  let onlyInBacktest = 0;
  let weighted = 0;
  let weight = 0;
  let priceCost = 0;
  let feeDifference = 0;
  for (const p of pairings) {
    if (p.session !== undefined && p.backtest !== undefined) {
      matched++;
      const q = Math.min(p.session.quantity, p.backtest.quantity);
      weighted += p.priceBps! * q;
      weight += q;
      priceCost += p.priceCost!;
      feeDifference += p.session.fee - p.backtest.fee;
    } else if (p.session !== undefined) onlyInSession++;
    else onlyInBacktest++;
  }
  return { matched, onlyInSession, onlyInBacktest, meanPriceBps: weight > 0 ? weighted / weight : undefined, priceCost, feeDifference };
}
