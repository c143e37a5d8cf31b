import type { Fill, PortfolioSnapshot, Position } from '@trading-orchestrator/plugin-api';
import { fromCents, shareOf, toCents, type Cents } from './money.js';
import { LedgerClock, StrategyBook, StrategySlice, type Lot, type StrategyAccount } from './strategy-book.js';
import { positionKey } from './position-key.js';

export { StrategySlice, type StrategyAccount };

export interface FillEffect {
  readonly strategyId: string;
  readonly symbol: string;
  readonly quantityBefore: number;
  readonly quantityAfter: number;
  /** Realised P&L of this fill in cents (before fees). */
  readonly realized: Cents;
  readonly fee: Cents;
}



/** The net quantity of one symbol's lots, added in the order they were opened. */
function netOf(group: readonly Lot[]): number {
  let quantity = 0;
  for (let i = 0; i < group.length; i++) quantity += group[i]!.quantity;
  return quantity;
}

/**
 * The account: cash and positions per strategy and symbol, in integer cents. Each fill moves cash by its notional
 * (rounded to the cent) plus its fee; closing part of a position releases the matching share of its cost basis
 * and books the difference as realised P&L. By construction
 * `cash = initial − fees + realised − Σ open cost bases`, to the cent.
 */
/** Everything a ledger holds, as plain JSON: what a paper session checkpoints and resumes from. */
export interface LedgerState {
  readonly cash: Cents;
  readonly fees: Cents;
  readonly realized: Cents;
  readonly lots: readonly Lot[];
  /** Symbol, last price and, when not 1, the multiplier (absent in states written before multipliers). */
  readonly marks: readonly (readonly [string, number] | readonly [string, number, number])[];
  readonly feesByStrategy: readonly (readonly [string, Cents])[];
}

export class Ledger {
  private cashCents: Cents;
  private readonly clock = new LedgerClock();
  private openLots = 0;
  private equityAt = -1;
  private equityValue = 0;
  private exposedAt = -1;
  private exposedValue = false;
  private feesCents: Cents = 0;
  private realizedCents: Cents = 0;
  private readonly lots = new Map<string, Lot>();
  /** Per strategy, its fees and its lots: what the per-bar questions about one strategy read. */
  private readonly books = new Map<string, StrategyBook>();
  /** The lots grouped by symbol in the order they were first traded: what the account-wide questions and `snapshot` iterate. */
  private readonly lotsBySymbol = new Map<string, Lot[]>();
  private readonly symbolGroups: Lot[][] = [];

  constructor(
    readonly initialCash: number,
    readonly currency = 'USD',
  ) {
    this.cashCents = toCents(initialCash);
  }

  get cash(): number {
    return fromCents(this.cashCents);
  }

  get fees(): number {
    return fromCents(this.feesCents);
  }

  get realized(): number {
    return fromCents(this.realizedCents);
  }

  toState(): LedgerState {
    return {
      cash: this.cashCents,
      fees: this.feesCents,
      realized: this.realizedCents,
      lots: [...this.lots.values()].map((l) => ({ ...l })),
      marks: [...this.clock.marks].map(([symbol, mark]) => (mark.multiplier === 1 ? ([symbol, mark.price] as const) : ([symbol, mark.price, mark.multiplier] as const))),
      feesByStrategy: [...this.books].filter(([, book]) => book.fees !== 0).map(([id, book]) => [id, book.fees] as const),
    };
  }

  /** Replaces everything with a state from `toState()` (of a ledger with the same initial cash and currency). */
  restore(state: LedgerState): void {
    this.cashCents = state.cash;
    this.feesCents = state.fees;
    this.realizedCents = state.realized;
    this.lots.clear();
    for (const book of this.books.values()) book.clear();
    this.lotsBySymbol.clear();
    this.symbolGroups.length = 0;
    this.openLots = 0;
    for (const lot of state.lots) this.addLot({ ...lot });
    this.clock.version++;
    // Multipliers set on this ledger stand for symbols the state was written without.
    const multipliers = new Map([...this.clock.marks].map(([symbol, mark]) => [symbol, mark.multiplier]));
    this.clock.clearMarks();
    for (const [symbol, multiplier] of multipliers) this.clock.markOf(symbol).multiplier = multiplier;
    for (const [symbol, price, multiplier] of state.marks) {
      const mark = this.clock.markOf(symbol);
      mark.price = price;
      if (multiplier !== undefined) mark.multiplier = multiplier;
    }
    for (const [id, cents] of state.feesByStrategy) this.bookOf(id).fees = cents;
  }

  /**
   * The value of one unit of `symbol` at a price of 1 (a contract multiplier; 1, the default, for shares and
   * coins). Set before the symbol's first fill: fills and marks are valued with it.
   */
  setMultiplier(symbol: string, multiplier: number): void {
    if (!(multiplier > 0 && Number.isFinite(multiplier))) throw new RangeError(`the multiplier of ${symbol} must be a positive number, got ${multiplier}`);
    this.clock.markOf(symbol).multiplier = multiplier;
    this.clock.version++;
  }

  /** Last price per symbol, for marking positions to market. */
  mark(symbol: string, price: number): void {
    this.clock.markInTurn(symbol).price = price;
    if (this.openLots !== 0) this.clock.version++;
  }

  /** The symbol's last price; NaN before its first mark. */
  priceOf(symbol: string): number {
    return this.clock.priceOf(symbol);
  }

  /**
   * One strategy's holding in one symbol, made (flat) on first use: a box whose `quantity` stays current, so a caller
   * that keeps it reads the position without a look-up. Kept across `restore` only until then: ask again after one.
   */
  holding(strategyId: string, symbol: string): { readonly quantity: number } {
    const k = positionKey(strategyId, symbol);
    let lot = this.lots.get(k);
    if (lot === undefined) {
      lot = { strategyId, symbol, quantity: 0, cost: 0, realized: 0, openedAt: 0 };
      this.addLot(lot);
    }
    return lot;
  }

  quantity(strategyId: string, symbol: string): number {
    return this.lots.get(positionKey(strategyId, symbol))?.quantity ?? 0;
  }

  /** Net quantity of a symbol across strategies. */
  netQuantity(symbol: string): number {
    const group = this.lotsBySymbol.get(symbol);
    return group === undefined ? 0 : netOf(group);
  }

  applyFill(strategyId: string, fill: Fill): FillEffect {
    const k = positionKey(strategyId, fill.symbol);
    let lot = this.lots.get(k);
    if (lot === undefined) {
      lot = { strategyId, symbol: fill.symbol, quantity: 0, cost: 0, realized: 0, openedAt: fill.time };
      this.addLot(lot);
    }
    const before = lot.quantity;
    const dq = fill.side === 'buy' ? fill.quantity : -fill.quantity;
    const notional = toCents(fill.quantity * fill.price * this.clock.multiplierOf(fill.symbol));
    const n = dq > 0 ? notional : -notional;
    const fee = toCents(fill.fee);
    let realized: Cents = 0;

    if (lot.quantity === 0 || Math.sign(dq) === Math.sign(lot.quantity)) {
      if (lot.quantity === 0) lot.openedAt = fill.time;
      lot.quantity += dq;
      lot.cost += n;
    } else {
      const held = Math.abs(lot.quantity);
      const closing = Math.min(Math.abs(dq), held);
      const released = closing === held ? lot.cost : shareOf(lot.cost, closing, held);
      const nClose = closing === Math.abs(dq) ? n : shareOf(n, closing, Math.abs(dq));
      realized = -nClose - released;
      lot.cost -= released;
      lot.quantity += Math.sign(dq) * closing;
      const rest = Math.abs(dq) - closing;
      if (rest > 0) {
        lot.quantity = Math.sign(dq) * rest;
        lot.cost = n - nClose;
        lot.openedAt = fill.time;
      }
      if (lot.quantity === 0) lot.cost = 0;
    }
    lot.realized += realized;
    this.realizedCents += realized;
    this.cashCents -= n + fee;
    this.feesCents += fee;
    const book = this.bookOf(strategyId);
    book.fees += fee;
    if ((before === 0) !== (lot.quantity === 0)) {
      const opened = before === 0 ? 1 : -1;
      book.open += opened;
      this.openLots += opened;
    }
    this.clock.version++;
    this.mark(fill.symbol, fill.price);
    return { strategyId, symbol: fill.symbol, quantityBefore: before, quantityAfter: lot.quantity, realized, fee };
  }

  /** Equity of one strategy's slice of the account: its allocation plus what it made and minus what it paid. */
  strategyEquity(account: StrategyAccount): number {
    return this.bookOf(account.strategyId).equity(account.allocation);
  }

  /** The strategy's slice, bound to its book: the same answers as `strategyEquity` and `isExposed(id)`, found faster. */
  slice(strategyId: string, allocation: Cents): StrategySlice {
    return new StrategySlice(strategyId, allocation, this.bookOf(strategyId));
  }

  /** Cash plus the market value of every position: `snapshot().equity` without building the snapshot. */
  equity(): number {
    return this.equityAt === this.clock.version ? this.equityValue : this.computeEquity();
  }

  /** Apart from `equity` so the cached answer's path stays small enough to inline (see `StrategyBook`). */
  private computeEquity(): number {
    // Netted by symbol as in `snapshot`, so the two agree to the last bit.
    let net = 0;
    for (let g = 0; g < this.symbolGroups.length; g++) {
      const group = this.symbolGroups[g]!;
      const quantity = netOf(group);
      if (quantity !== 0) net += this.clock.valueOf(group[0]!.symbol, quantity);
    }
    this.equityAt = this.clock.version;
    return (this.equityValue = fromCents(this.cashCents + toCents(net)));
  }

  /** Whether one strategy holds a position, or (no id) whether the book, netted by symbol as in `snapshot`, does. */
  isExposed(strategyId?: string): boolean {
    if (strategyId !== undefined) return (this.books.get(strategyId)?.open ?? 0) !== 0;
    return this.exposedAt === this.clock.version ? this.exposedValue : this.computeExposed();
  }

  private computeExposed(): boolean {
    let exposed = false;
    for (let g = 0; g < this.symbolGroups.length && !exposed; g++) exposed = netOf(this.symbolGroups[g]!) !== 0;
    this.exposedAt = this.clock.version;
    return (this.exposedValue = exposed);
  }

  /** One strategy's open position in a symbol; undefined when flat. */
  positionOf(strategyId: string, symbol: string): Position | undefined {
    const lot = this.lots.get(positionKey(strategyId, symbol));
    return lot === undefined || lot.quantity === 0 ? undefined : this.position(lot);
  }

  /** One strategy's open positions. */
  positionsOf(strategyId: string): Position[] {
    return [...this.lots.values()].filter((l) => l.strategyId === strategyId && l.quantity !== 0).map((l) => this.position(l));
  }

  /** The whole book, positions netted by symbol across strategies. */
  snapshot(time: number): PortfolioSnapshot {
    const positions: Position[] = [];
    let gross = 0;
    let net = 0;
    let unrealized = 0;
    for (const group of this.symbolGroups) {
      const quantity = netOf(group);
      if (quantity === 0) continue;
      const p = this.netPosition(group, quantity);
      positions.push(p);
      const value = this.clock.valueOf(p.symbol, p.quantity);
      gross += Math.abs(value);
      net += value;
      unrealized += p.unrealizedPnl;
    }
    positions.sort((a, b) => (a.symbol < b.symbol ? -1 : 1));
    const cash = this.cash;
    return {
      time,
      currency: this.currency,
      cash,
      equity: fromCents(this.cashCents + toCents(net)),
      positions,
      grossExposure: gross,
      netExposure: net,
      realizedPnl: this.realized,
      unrealizedPnl: unrealized,
      feesPaid: this.fees,
    };
  }

  /** The account's position in one symbol, its strategies' lots netted as `snapshot` lists it; undefined when flat. */
  accountPosition(symbol: string): Position | undefined {
    const group = this.lotsBySymbol.get(symbol);
    const quantity = group === undefined ? 0 : netOf(group);
    return quantity === 0 ? undefined : this.netPosition(group!, quantity);
  }

  private netPosition(group: readonly Lot[], quantity: number): Position {
    let cost: Cents = 0;
    let realized: Cents = 0;
    let openedAt = group[0]!.openedAt;
    for (const lot of group) {
      cost += lot.cost;
      realized += lot.realized;
      openedAt = Math.min(openedAt, lot.openedAt);
    }
    return this.position({ strategyId: '', symbol: group[0]!.symbol, quantity, cost, realized, openedAt });
  }

  /** Σ open cost bases in cents: with cash, fees and realised P&L it reconciles the account exactly. */
  openCost(): Cents {
    let c = 0;
    for (const lot of this.lots.values()) c += lot.cost;
    return c;
  }

  private addLot(lot: Lot): void {
    this.lots.set(positionKey(lot.strategyId, lot.symbol), lot);
    const book = this.bookOf(lot.strategyId);
    book.lots.push(lot);
    if (lot.quantity !== 0) {
      book.open++;
      this.openLots++;
    }
    const group = this.lotsBySymbol.get(lot.symbol);
    if (group === undefined) {
      const created = [lot];
      this.lotsBySymbol.set(lot.symbol, created);
      this.symbolGroups.push(created);
    } else group.push(lot);
  }

  private bookOf(strategyId: string): StrategyBook {
    let book = this.books.get(strategyId);
    if (book === undefined) this.books.set(strategyId, (book = new StrategyBook(this.clock)));
    return book;
  }

  private position(lot: Omit<Lot, 'strategyId'> & { strategyId: string }): Position {
    const marketPrice = this.clock.priceOf(lot.symbol);
    const multiplier = this.clock.multiplierOf(lot.symbol);
    return {
      symbol: lot.symbol,
      quantity: lot.quantity,
      averagePrice: Math.abs(fromCents(lot.cost) / (lot.quantity * multiplier)),
      marketPrice,
      unrealizedPnl: fromCents(toCents(lot.quantity * marketPrice * multiplier) - lot.cost),
      realizedPnl: fromCents(lot.realized),
      openedAt: lot.openedAt,
      ...(lot.strategyId === '' ? {} : { strategyId: lot.strategyId }),
    };
  }
}
