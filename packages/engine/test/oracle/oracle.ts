import type { Bar, PositionDelta, PositionTarget } from '@trading-orchestrator/plugin-api';

/**
 * An independent simulator of one strategy trading one symbol on a cash or margin account, written from the rules
 * in docs/config-reference.md ("How signals become orders", "Buying power", "The paper broker") and not from the
 * engine's code: one loop over the bars, money in whole cents, no plugins. The engine's tests run the same signals
 * through the real pipeline and compare trade by trade.
 *
 * The rules it follows:
 * - a signal made on bar i is acted on at bar i+1's open, in the order made (a plain one that would be ignored
 *   whatever happens first, with nothing queued before it, is ignored when made);
 * - an exit closes what is held; a target orders the difference to it from what is held; a delta adds to what is
 *   held and already ordered; a plain buy opens, adds while `entries <= pyramiding`, or closes a short;
 * - quantities round down to whole lots (a whole close is exact);
 * - a market order fills at the open moved by the slippage against it; fees are bps of the value, at least the
 *   minimum, at most the value, in cents rounded half away from zero;
 * - a cash account pays value + fee + the fee of selling it again out of its free cash; a margin account keeps
 *   gross exposure within equity × leverage, the symbol's position valued at the fill price, each with a cent of
 *   room per rounded amount; each order claims its opening part at the buying price and, times the leverage, its
 *   fee and the buy-sell spread on its quantity; an order that does not fit is cut to the lots that do (or refused);
 * - a protective exit (stop, trailing stop, target, time exit) covers what its entry opened; the time exit fills at
 *   the open after the entry's own orders, then stops and targets against the range, a stop before a target;
 * - what is held at the end is closed at the last close with slippage and fee;
 * - a trade runs from flat to flat (or to a reversal, which closes it and opens the next), its P&L the cash it made
 *   net of every fee paid in it (a reversing fill's fee counts in the trade it closes).
 */

export interface OracleSignal {
  readonly side: 'buy' | 'sell' | 'exit';
  readonly target?: PositionTarget;
  readonly delta?: PositionDelta;
  readonly stopLoss?: number;
  readonly takeProfit?: number;
  readonly trailingStop?: { readonly distance: number; readonly unit: 'price' | 'percent' };
  readonly exitAfterBars?: number;
}

export interface OracleConfig {
  readonly capital: number;
  /** One ordinary entry: a share of the strategy's equity at the sizing price, or a fixed quantity. */
  readonly sizing: { readonly fraction: number } | { readonly quantity: number };
  readonly lotSize: number;
  readonly feeBps: number;
  readonly minFee: number;
  readonly slippageBps: number;
  readonly leverage: number | 'cash';
  readonly allowShort: boolean;
  readonly pyramiding: number;
  readonly insufficientFunds: 'resize' | 'reject';
}

export interface OracleTrade {
  readonly direction: 'long' | 'short';
  readonly quantity: number;
  readonly entryTime: number;
  readonly exitTime: number;
  readonly pnl: number;
  readonly fees: number;
  readonly exitReason: string;
}

export interface OracleResult {
  readonly trades: OracleTrade[];
  readonly cash: number;
  readonly fees: number;
  readonly ignored: Record<string, number>;
  /** The lowest cash after any fill (a cash account must never go below 0). */
  readonly lowestCash: number;
}

/** Cents, half away from zero (binary noise such as 1.005 × 100 absorbed). */
const cents = (x: number) => Math.sign(x) * Math.round(Math.abs(x * 100) + 1e-7);

interface Protection {
  readonly entryTime: number;
  readonly long: boolean;
  quantity: number;
  readonly stopLoss: number | undefined;
  readonly takeProfit: number | undefined;
  readonly trailing: OracleSignal['trailingStop'];
  level: number;
  barsLeft: number | undefined;
  readonly id: number;
}

export function simulate(bars: readonly Bar[], signalsOn: (i: number) => readonly OracleSignal[], c: OracleConfig): OracleResult {
  let cashCents = cents(c.capital);
  let feeCents = 0;
  let lowestCash = cashCents;
  let position = 0;
  let entries = 0;
  let lastClose = Number.NaN;
  let trade: { direction: 'long' | 'short'; entryTime: number; quantity: number; flowCents: number; feeCents: number } | undefined;
  const trades: OracleTrade[] = [];
  const ignored: Record<string, number> = {};
  let protections: Protection[] = [];
  let nextId = 0;
  const note = (code: string) => (ignored[code] = (ignored[code] ?? 0) + 1);
  const lots = (q: number) => {
    const n = Math.floor(q / c.lotSize + 1e-9);
    return n <= 0 ? 0 : Number((n * c.lotSize).toFixed(12));
  };
  const fillPrice = (side: 'buy' | 'sell', price: number) => (side === 'buy' ? price * (1 + c.slippageBps / 10_000) : Math.max(price * (1 - c.slippageBps / 10_000), Number.MIN_VALUE));
  const feeOn = (value: number) => Math.min(cents(value), Math.max(cents(c.minFee), cents((value * c.feeBps) / 10_000)));
  const equityCents = () => cashCents + cents(position * lastClose);

  /** Books one fill: cash, fees, the trade in progress, and what protects the position. */
  const fill = (side: 'buy' | 'sell', quantity: number, price: number, time: number, reason: string, protect?: OracleSignal) => {
    const signed = side === 'buy' ? quantity : -quantity;
    const valueCents = cents(quantity * price);
    const fee = feeOn(quantity * price);
    const before = position;
    const after = before + signed;
    cashCents += (side === 'buy' ? -valueCents : valueCents) - fee;
    feeCents += fee;
    lowestCash = Math.min(lowestCash, cashCents);
    const reverses = before !== 0 && after !== 0 && Math.sign(before) !== Math.sign(after);
    const closing = before !== 0 && Math.sign(signed) !== Math.sign(before) ? Math.min(quantity, Math.abs(before)) : 0;
    // The closing share of the fill's value, the rest opening the next trade.
    const closingFlow = closing === quantity ? valueCents : Math.round((valueCents * closing) / quantity);
    // (valueCents is never negative here, so Math.round's halves go away from zero as the rule says.)
    const flow = side === 'buy' ? -1 : 1;
    if (trade === undefined) trade = { direction: after > 0 ? 'long' : 'short', entryTime: time, quantity: 0, flowCents: 0, feeCents: 0 };
    trade.feeCents += fee;
    if (after === 0 || reverses) {
      trade.flowCents += flow * closingFlow;
      trade.quantity = Math.max(trade.quantity, Math.abs(before));
      trades.push({ direction: trade.direction, quantity: trade.quantity, entryTime: trade.entryTime, exitTime: time, pnl: (trade.flowCents - trade.feeCents) / 100, fees: trade.feeCents / 100, exitReason: reverses ? 'reversal' : reason });
      trade = reverses ? { direction: after > 0 ? 'long' : 'short', entryTime: time, quantity: Math.abs(after), flowCents: flow * (valueCents - closingFlow), feeCents: 0 } : undefined;
    } else {
      trade.flowCents += flow * valueCents;
      trade.quantity = Math.max(trade.quantity, Math.abs(after));
    }
    position = Math.abs(after) < 1e-12 ? 0 : after;
    if (position === 0) entries = 0;
    else if (reverses) entries = 1;
    // Protection covers what this fill opened in its own direction; a shrinking position lets the newest go first.
    const opened = signed > 0 ? Math.max(0, after) - Math.max(0, before) : Math.max(0, -after) - Math.max(0, -before);
    let left = Math.abs(position);
    protections = protections.filter((p) => {
      if (position === 0 || p.long !== position > 0) return false;
      p.quantity = Math.min(p.quantity, left);
      left -= p.quantity;
      return p.quantity > 1e-12;
    });
    if (protect !== undefined && opened > 0 && (protect.stopLoss !== undefined || protect.takeProfit !== undefined || protect.trailingStop !== undefined || protect.exitAfterBars !== undefined)) {
      const long = side === 'buy';
      const gap = protect.trailingStop === undefined ? 0 : protect.trailingStop.unit === 'price' ? protect.trailingStop.distance : (price * protect.trailingStop.distance) / 100;
      protections.push({ entryTime: time, long, quantity: opened, stopLoss: protect.stopLoss, takeProfit: protect.takeProfit, trailing: protect.trailingStop, level: long ? price - gap : price + gap, barsLeft: protect.exitAfterBars, id: nextId++ });
    }
  };

  let pending: OracleSignal[] = [];
  for (let i = 0; i < bars.length; i++) {
    const bar = bars[i]!;
    // 1. Last bar's signals become orders at this open, each planned against what is held and already ordered.
    const batch: { side: 'buy' | 'sell'; quantity: number; closes: number; signal: OracleSignal; claimCents: number; exposure: number }[] = [];
    const equity = equityCents() / 100;
    for (const s of pending) {
      const ordered = batch.reduce((q, o) => q + (o.side === 'buy' ? o.quantity : -o.quantity), 0);
      const projected = position + ordered;
      const entrySize = 'fraction' in c.sizing ? (c.sizing.fraction * equity) / bar.open : c.sizing.quantity;
      let from = projected;
      let to: number | undefined;
      if (s.side === 'exit') {
        if (s.delta !== undefined) {
          if (projected === 0) { note('NOTHING_TO_EXIT'); continue; }
          const size = s.delta.unit === 'position' ? s.delta.size * Math.abs(projected) : s.delta.unit === 'units' ? s.delta.size : s.delta.size * entrySize;
          to = projected - Math.sign(projected) * Math.min(size, Math.abs(projected));
        } else {
          // Nothing held: an exit only cancels what was ordered (and is ignored when nothing was).
          if (position === 0) {
            if (batch.length === 0) note('NOTHING_TO_EXIT');
            batch.length = 0;
            continue;
          }
          batch.length = 0;
          from = position;
          to = 0;
        }
      } else {
        const dir = s.side === 'buy' ? 1 : -1;
        if (s.target !== undefined) {
          batch.length = 0;
          from = position;
          const units = s.target.unit === 'units' ? s.target.size : s.target.unit === 'entries' ? s.target.size * entrySize : (s.target.size * equity) / bar.open;
          to = dir * units;
          if (to === position) { note('ALREADY_AT_TARGET'); continue; }
        } else if (s.delta !== undefined) {
          if (s.delta.unit === 'position' && projected === 0) { note('NO_POSITION'); continue; }
          const units = s.delta.unit === 'units' ? s.delta.size : s.delta.unit === 'position' ? s.delta.size * Math.abs(projected) : s.delta.size * entrySize;
          to = projected + dir * units;
        } else if (Math.sign(position) === -dir) {
          from = position;
          to = 0;
        } else if (entries + batch.filter((o) => o.quantity > o.closes).length > c.pyramiding) {
          note('PYRAMIDING_LIMIT');
          continue;
        } else to = projected + dir * entrySize;
        if (to < 0 && !c.allowShort) {
          if (from <= 0) { note('SHORTING_NOT_ALLOWED'); continue; }
          note('SHORTING_NOT_ALLOWED');
          to = 0;
        }
      }
      const side = to > from ? 'buy' : 'sell';
      const whole = to === 0 && from === position;
      let quantity = whole ? Math.abs(position) : lots(Math.abs(to - from));
      const closes = Math.sign(to - from) === -Math.sign(from) ? Math.min(quantity, Math.abs(from)) : 0;
      if (quantity <= 0) { note('SIZED_TO_ZERO'); continue; }
      // Buying power for the part that opens, at the price this open will fill at.
      const price = fillPrice(side, bar.open);
      const claimed = batch.reduce((n, o) => n + o.claimCents, 0);
      // The position in the symbol valued at the price this order fills at, for buying power.
      const exposed = Math.abs(position) * price + batch.reduce((n, o) => n + o.exposure, 0);
      const equityAtFill = equity + position * (price - lastClose);
      const need = (q: number) => {
        const opens = q - closes;
        // A reduction always goes; in a margin account its fee still lowers the equity that carries the rest.
        const fee = feeOn(q * price) / 100;
        if (c.leverage === 'cash') {
          if (opens <= 0) return { fits: true, claimCents: 0, exposure: 0 };
          const exitFee = feeOn(opens * fillPrice(side === 'buy' ? 'sell' : 'buy', bar.open)) / 100;
          const claim = (side === 'buy' ? q * price : 0) + fee + exitFee;
          return { fits: claim + 0.03 <= (cashCents - claimed) / 100, claimCents: claim * 100, exposure: opens * price };
        }
        // Margin: the opening part at the buying price, and the fee and the buy-sell spread on it all, times leverage.
        const spread = (fillPrice('buy', bar.open) - fillPrice('sell', bar.open)) * q;
        const claimed_ = Math.max(0, opens) * fillPrice('buy', bar.open) + (fee + spread) * c.leverage;
        if (opens <= 0) return { fits: true, claimCents: 0, exposure: claimed_ };
        const gross = Math.max(0, exposed - closes * price) + claimed_;
        return { fits: gross + 0.01 * (c.leverage + 2) <= c.leverage * equityAtFill, claimCents: 0, exposure: claimed_ };
      };
      let answer = need(quantity);
      if (!answer.fits) {
        if (c.insufficientFunds === 'reject') {
          note('INSUFFICIENT_FUNDS');
          if (closes === 0) continue;
          quantity = closes;
        } else {
          let n = Math.floor((quantity - closes) / c.lotSize + 1e-9);
          while (n > 0 && !need(closes + n * c.lotSize).fits) n--;
          note('INSUFFICIENT_FUNDS');
          if (n === 0 && closes === 0) continue;
          quantity = lots(closes + n * c.lotSize);
        }
        answer = need(quantity);
      }
      batch.push({ side, quantity, closes, signal: s, claimCents: answer.claimCents, exposure: answer.exposure });
    }
    pending = [];
    // 2. The broker: the orders at the open, in the order sent.
    for (const o of batch) {
      const opensAny = o.quantity > o.closes;
      const reduceOnly = !opensAny;
      const against = o.side === 'sell' ? Math.max(0, position) : Math.max(0, -position);
      const quantity = reduceOnly ? Math.min(o.quantity, against) : o.quantity;
      if (quantity <= 0) continue;
      const before = position;
      fill(o.side, quantity, fillPrice(o.side, bar.open), bar.time, 'signal', o.signal);
      if (opensAny && !(before !== 0 && Math.sign(before) !== Math.sign(position))) entries += position === 0 ? 0 : 1;
    }
    // Time exits at the open, then stops and targets against the range.
    for (const p of [...protections]) {
      if (p.barsLeft === undefined || p.entryTime >= bar.time || !protections.includes(p)) continue;
      p.barsLeft--;
      if (p.barsLeft <= 0) fill(p.long ? 'sell' : 'buy', p.quantity, fillPrice(p.long ? 'sell' : 'buy', bar.open), bar.time, 'time-exit');
    }
    for (const p of [...protections]) {
      if (!protections.includes(p)) continue;
      const gapped = p.entryTime < bar.time;
      let stop = p.stopLoss;
      let reason = 'stop-loss';
      if (p.trailing !== undefined && (stop === undefined || (p.long ? p.level > stop : p.level < stop))) {
        stop = p.level;
        reason = 'trailing-stop';
      }
      const exitSide = p.long ? 'sell' : 'buy';
      if (stop !== undefined && (p.long ? bar.low <= stop : bar.high >= stop)) {
        const at = gapped && (p.long ? bar.open < stop : bar.open > stop) ? bar.open : stop;
        fill(exitSide, p.quantity, fillPrice(exitSide, at), bar.time, reason);
        continue;
      }
      if (p.takeProfit !== undefined && (p.long ? bar.high >= p.takeProfit : bar.low <= p.takeProfit)) {
        const at = gapped && (p.long ? bar.open > p.takeProfit : bar.open < p.takeProfit) ? bar.open : p.takeProfit;
        fill(exitSide, p.quantity, at, bar.time, 'take-profit');
        continue;
      }
      if (p.trailing !== undefined) {
        const best = p.long ? bar.high : bar.low;
        const gap = p.trailing.unit === 'price' ? p.trailing.distance : (best * p.trailing.distance) / 100;
        p.level = p.long ? Math.max(p.level, best - gap) : Math.min(p.level, best + gap);
      }
    }
    lastClose = bar.close;
    // 3. The strategy's signals on this bar's close. A plain one that nothing before it could change is judged now:
    //    an exit with nothing held, an add past the pyramiding limit, a short the run forbids.
    pending = [];
    for (const s of signalsOn(i)) {
      if (pending.length === 0 && s.target === undefined && s.delta === undefined) {
        const dir = s.side === 'buy' ? 1 : -1;
        if (s.side === 'exit' && position === 0) { note('NOTHING_TO_EXIT'); continue; }
        if (s.side !== 'exit' && Math.sign(position) !== -dir) {
          if (dir < 0 && position <= 0 && !c.allowShort) { note('SHORTING_NOT_ALLOWED'); continue; }
          if (entries > c.pyramiding) { note('PYRAMIDING_LIMIT'); continue; }
        }
      }
      pending.push(s);
    }
  }
  for (const _ of pending) note('RUN_ENDED');
  if (position !== 0) {
    const side = position > 0 ? 'sell' : 'buy';
    fill(side, Math.abs(position), fillPrice(side, lastClose), bars.at(-1)!.time, 'end-of-run');
  }
  return { trades, cash: cashCents / 100, fees: feeCents / 100, ignored, lowestCash: lowestCash / 100 };
}
