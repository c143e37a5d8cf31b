import type { Bar, ExitReason, Order, OrderTrailingStop } from '@trading-orchestrator/plugin-api';

/**
 * The protective exits of one filled entry, for the quantity it opened or added: a stop-loss, a take-profit, a
 * trailing stop and a time exit. The first to trigger closes that quantity and cancels the others.
 */
export interface Bracket {
  readonly parent: Order;
  readonly strategyId: string;
  readonly symbol: string;
  /** Side of the exit (opposite to the entry). */
  readonly side: 'buy' | 'sell';
  quantity: number;
  readonly stopLoss: number | undefined;
  readonly takeProfit: number | undefined;
  readonly trailing: OrderTrailingStop | undefined;
  /** The trailing stop's level, NaN without one: moved at the end of each bar towards the best price, never back. */
  trailLevel: number;
  /** Bars of the symbol left before the time exit; undefined without one. */
  barsLeft: number | undefined;
  /** Open time of the bar on which the entry filled; that bar's range can already trigger a stop or target. */
  readonly activeFrom: number;
}

/** What a bracket makes of a bar: nothing, or the exit it triggers, at which price before slippage. */
export interface Triggered {
  readonly reason: ExitReason;
  readonly price: number;
  /** Whether the broker's adverse slippage applies (stops and time exits are market orders; targets are not). */
  readonly slipped: boolean;
}

/** The bracket for the `opened` units an entry fill opened or added, or undefined when it asked for no exits. */
export function bracketFor(parent: Order, opened: number, fillPrice: number, time: number): Bracket | undefined {
  const { stopLoss, takeProfit, trailingStop, exitAfterBars } = parent;
  if (opened <= 0 || (stopLoss === undefined && takeProfit === undefined && trailingStop === undefined && exitAfterBars === undefined)) return undefined;
  const long = parent.side === 'buy';
  return {
    parent,
    strategyId: parent.strategyId,
    symbol: parent.symbol,
    side: long ? 'sell' : 'buy',
    quantity: opened,
    stopLoss,
    takeProfit,
    trailing: trailingStop,
    trailLevel: trailingStop === undefined ? Number.NaN : trailFrom(fillPrice, trailingStop, long),
    barsLeft: exitAfterBars,
    activeFrom: time,
  };
}

/** The level a trailing stop takes `distance` behind the best price. */
function trailFrom(best: number, trailing: OrderTrailingStop, long: boolean): number {
  const gap = trailing.unit === 'price' ? trailing.distance : (best * trailing.distance) / 100;
  return long ? best - gap : best + gap;
}

/**
 * The time exit at a bar's open: one bar fewer left, and the exit when none are. The entry's own bar does not
 * count: an entry filled at bar k's open with `exitAfterBars: n` is closed at the open of bar k + n.
 */
export function timeExitAt(b: Bracket, bar: Bar): Triggered | undefined {
  if (b.barsLeft === undefined || b.activeFrom >= bar.time) return undefined;
  b.barsLeft--;
  return b.barsLeft <= 0 ? { reason: 'time-exit', price: bar.open, slipped: true } : undefined;
}

/**
 * The stop or target a bar's range reaches, from the entry bar on. The stop is the higher of the stop-loss and the
 * trailing level for a long (the lower for a short); when both the stop and the target lie in one bar the stop is
 * assumed, and a gap through a level fills at the open. Afterwards a trailing level moves with the bar's best
 * price, so a bar never triggers the level its own high set.
 */
export function levelHitIn(b: Bracket, bar: Bar): Triggered | undefined {
  if (b.activeFrom > bar.time) return undefined;
  const long = b.side === 'sell';
  const gapped = b.activeFrom < bar.time;
  const trailing = b.trailing !== undefined;
  let stop = b.stopLoss;
  let reason: ExitReason = 'stop-loss';
  if (trailing && (stop === undefined || (long ? b.trailLevel > stop : b.trailLevel < stop))) {
    stop = b.trailLevel;
    reason = 'trailing-stop';
  }
  if (stop !== undefined && (long ? bar.low <= stop : bar.high >= stop)) {
    const through = gapped && (long ? bar.open < stop : bar.open > stop);
    return { reason, price: through ? bar.open : stop, slipped: true };
  }
  const target = b.takeProfit;
  if (target !== undefined && (long ? bar.high >= target : bar.low <= target)) {
    const through = gapped && (long ? bar.open > target : bar.open < target);
    return { reason: 'take-profit', price: through ? bar.open : target, slipped: false };
  }
  if (trailing) {
    const moved = trailFrom(long ? bar.high : bar.low, b.trailing!, long);
    if (long ? moved > b.trailLevel : moved < b.trailLevel) b.trailLevel = moved;
  }
  return undefined;
}

/**
 * Fits a strategy's brackets in a symbol to what it now holds (`held`, signed): the newest give way first, so the
 * oldest entries keep their protection. A bracket for the other direction (the position closed or reversed) is
 * dropped. Returns the dropped brackets.
 */
export function fitBrackets(brackets: Bracket[], strategyId: string, symbol: string, held: number): Bracket[] {
  const dropped: Bracket[] = [];
  let left = Math.abs(held);
  // Oldest first: each keeps what is left of the position, up to its own quantity.
  for (let i = 0; i < brackets.length; i++) {
    const b = brackets[i]!;
    if (b.strategyId !== strategyId || b.symbol !== symbol) continue;
    const sameDirection = held !== 0 && (b.side === 'sell') === held > 0;
    const keep = sameDirection ? Math.min(b.quantity, left) : 0;
    if (keep <= 1e-12) {
      brackets.splice(i--, 1);
      dropped.push(b);
      continue;
    }
    b.quantity = keep;
    left -= keep;
  }
  return dropped;
}
