import type { BacktestEngine } from '@trading-orchestrator/engine';
import type { Broker, Order } from '@trading-orchestrator/plugin-api';

/** Something the venue and the session disagree on, said for a person. */
export interface Mismatch {
  readonly kind: 'unknown-order' | 'missing-order' | 'position';
  readonly message: string;
}

/** What a balance of the base asset was when the session started, less what the session held: the account's own. */
export type Baseline = ReadonlyMap<string, number>;

const FINAL: ReadonlySet<string> = new Set(['filled', 'cancelled', 'rejected', 'expired']);

/** The base asset of a unified symbol (`BTC/USDT` → `BTC`). */
const baseOf = (symbol: string) => symbol.split('/')[0] ?? symbol;

/**
 * Compares the venue with the session, as NautilusTrader's live engine does at start and after reconnects:
 * the venue's open orders against the orders the session holds as working, and each symbol's base balance against
 * the position the session holds plus what the account held of it before (the baseline). An order the session
 * holds that the venue has ended is caught up with (the venue's state is the truth; the caller books the venue's
 * trades first, so a filled one's fills are in); everything else that differs is named, for the session's policy.
 */
export async function reconcile(engine: BacktestEngine, broker: Broker, symbols: readonly string[], baseline: Baseline | undefined): Promise<{ mismatches: Mismatch[]; caughtUp: Order[] }> {
  const mismatches: Mismatch[] = [];
  const caughtUp: Order[] = [];
  const working = new Map(engine.workingOrders().map((o) => [o.id, o]));
  if (broker.openOrders !== undefined) {
    const open = await broker.openOrders(symbols);
    const openIds = new Set(open.map((o) => o.id));
    for (const o of open) {
      if (working.has(o.id) || !symbols.includes(o.symbol)) continue;
      mismatches.push({ kind: 'unknown-order', message: `the venue has an order the session did not send or no longer knows: ${o.id} ${o.side} ${o.quantity} ${o.symbol}${o.limitPrice === undefined ? '' : ` limit ${o.limitPrice}`} (${o.status})` });
    }
    for (const w of working.values()) {
      if (openIds.has(w.id)) continue;
      const status = await broker.orderStatus?.(w.id, w.symbol);
      if (status === undefined) {
        mismatches.push({ kind: 'missing-order', message: `order ${w.id} (${w.strategyId} ${w.side} ${w.symbol}) is working in the session but the venue never had it` });
        caughtUp.push({ id: w.id, symbol: w.symbol, side: w.side, quantity: w.remaining, type: 'market', reduceOnly: !w.entry, strategyId: w.strategyId, time: engine.time, referencePrice: 0, status: 'rejected', filledQuantity: 0, averageFillPrice: Number.NaN, reason: 'not at the venue (reconciliation)', updatedAt: engine.time });
      } else if (FINAL.has(status.status)) {
        caughtUp.push(status);
      }
    }
  }
  if (broker.balances !== undefined && baseline !== undefined) {
    const balances = await venueHoldings(broker);
    const held = sessionHoldings(engine);
    for (const symbol of symbols) {
      const base = baseOf(symbol);
      const expected = (baseline.get(base) ?? 0) + (held.get(base) ?? 0);
      const actual = balances.get(base) ?? 0;
      // Commission charged in the base asset (Binance's default on a buy) makes the venue hold a little less.
      const tolerance = Math.abs(held.get(base) ?? 0) * 0.005 + 1e-8;
      if (Math.abs(actual - expected) > tolerance) mismatches.push({ kind: 'position', message: `${base}: the venue holds ${actual}, the session expects ${expected} (${held.get(base) ?? 0} held by the session, ${baseline.get(base) ?? 0} the account's own)` });
    }
  }
  return { mismatches, caughtUp };
}

/** The account's own holding of each symbol's base asset: the venue's balance less what the session holds. */
export async function baselineOf(engine: BacktestEngine, broker: Broker, symbols: readonly string[]): Promise<Baseline | undefined> {
  if (broker.balances === undefined) return undefined;
  const balances = await venueHoldings(broker);
  const held = sessionHoldings(engine);
  return new Map(symbols.map((symbol) => [baseOf(symbol), (balances.get(baseOf(symbol)) ?? 0) - (held.get(baseOf(symbol)) ?? 0)]));
}

/** What the venue holds of each currency, free and locked in orders together (callers check `balances` exists). */
async function venueHoldings(broker: Broker): Promise<Map<string, number>> {
  return new Map((await broker.balances!()).map((b) => [b.currency, b.free + b.locked]));
}

/** What the session's positions hold of each base asset. */
function sessionHoldings(engine: BacktestEngine): Map<string, number> {
  const held = new Map<string, number>();
  for (const p of engine.portfolio().positions) held.set(baseOf(p.symbol), (held.get(baseOf(p.symbol)) ?? 0) + p.quantity);
  return held;
}
