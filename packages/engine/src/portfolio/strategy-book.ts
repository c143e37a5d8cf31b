import { fromCents, toCents, type Cents } from './money.js';

/** One strategy's holding in one symbol. `cost` is the signed cost basis in cents (negative for a short). */
export interface Lot {
  readonly strategyId: string;
  readonly symbol: string;
  quantity: number;
  cost: Cents;
  realized: Cents;
  openedAt: number;
}

/** A symbol's last price, in a box of its own: marking writes the number in place, allocating nothing. */
export interface Mark {
  readonly symbol: string;
  price: number;
  /** The value of one unit at a price of 1 (a contract multiplier); 1 for shares and coins. */
  multiplier: number;
  /** Its place in the order of first use (`markInTurn`). */
  readonly turn: number;
}

/** What a ledger's strategy books read from it: whether anything moved since, and the marks. */
export class LedgerClock {
  /**
   * Moves whenever an answer about equity or exposure may change: a fill, a restore, or a mark while some lot is
   * open. A flat book's per-bar questions are then answered from the last computation.
   */
  version = 0;
  readonly marks = new Map<string, Mark>();
  /** The marks in the order of their first use, and where the last one marked stands in it. */
  private readonly inTurn: Mark[] = [];
  private lastTurn = -1;

  /** The symbol's last price; NaN before its first mark. */
  priceOf(symbol: string): number {
    return this.marks.get(symbol)?.price ?? Number.NaN;
  }

  /** The market value of `quantity` units of the symbol at its last price (signed, in currency). */
  valueOf(symbol: string, quantity: number): number {
    const mark = this.marks.get(symbol);
    return mark === undefined ? Number.NaN : quantity * mark.price * mark.multiplier;
  }

  multiplierOf(symbol: string): number {
    return this.marks.get(symbol)?.multiplier ?? 1;
  }

  /** The symbol's box, made (unmarked) on first use. */
  markOf(symbol: string): Mark {
    let mark = this.marks.get(symbol);
    if (mark === undefined) {
      mark = { symbol, price: Number.NaN, multiplier: 1, turn: this.inTurn.length };
      this.marks.set(symbol, mark);
      this.inTurn.push(mark);
    }
    return mark;
  }

  /**
   * `markOf` for the bar being marked: the symbol marked last, or the one after it in the order of first use
   * (several symbols' bars arrive in turn), is found without a look-up.
   */
  markInTurn(symbol: string): Mark {
    const last = this.inTurn[this.lastTurn];
    if (last !== undefined && last.symbol === symbol) return last;
    const next = this.inTurn[this.lastTurn + 1 === this.inTurn.length ? 0 : this.lastTurn + 1];
    const mark = next !== undefined && next.symbol === symbol ? next : this.markOf(symbol);
    this.lastTurn = mark.turn;
    return mark;
  }

  /** Forgets every mark (a restore writes them again). */
  clearMarks(): void {
    this.marks.clear();
    this.inTurn.length = 0;
    this.lastTurn = -1;
  }
}

/** One strategy's fees and lots. Kept for the ledger's life (a restore refills it in place), so slices stay bound. */
export class StrategyBook {
  fees: Cents = 0;
  readonly lots: Lot[] = [];
  /** Its lots with a quantity. */
  open = 0;
  /** `equity` as of clock version `equityAt`, for `equityAllocation`. */
  private equityAt = -1;
  private equityAllocation: Cents = 0;
  private equityValue = 0;

  constructor(private readonly clock: LedgerClock) {}

  /** Its allocation plus what it made and minus what it paid. */
  equity(allocation: Cents): number {
    return this.equityAt === this.clock.version && this.equityAllocation === allocation ? this.equityValue : this.computeEquity(allocation);
  }

  // Apart from `equity`, whose answer is usually the cached one: a small function is inlined into the per-bar
  // code, where a large one would use up the compiler's inlining budget for the callers around it.
  private computeEquity(allocation: Cents): number {
    let cents = allocation - this.fees;
    for (let i = 0; i < this.lots.length; i++) {
      const lot = this.lots[i]!;
      cents += lot.realized;
      if (lot.quantity !== 0) cents += toCents(this.clock.valueOf(lot.symbol, lot.quantity)) - lot.cost;
    }
    this.equityAt = this.clock.version;
    this.equityAllocation = allocation;
    return (this.equityValue = fromCents(cents));
  }

  /** Its cash: its allocation, less fees and what its open positions cost, plus what it realised. */
  cash(allocation: Cents): Cents {
    let cents = allocation - this.fees;
    for (let i = 0; i < this.lots.length; i++) cents += this.lots[i]!.realized - this.lots[i]!.cost;
    return cents;
  }

  /** Σ |market value| of its open positions. */
  grossExposure(): number {
    let gross = 0;
    for (let i = 0; i < this.lots.length; i++) {
      const lot = this.lots[i]!;
      if (lot.quantity !== 0) gross += Math.abs(this.clock.valueOf(lot.symbol, lot.quantity));
    }
    return gross;
  }

  clear(): void {
    this.fees = 0;
    this.lots.length = 0;
    this.open = 0;
    this.equityAt = -1;
  }
}

/**
 * One strategy's slice of the account, bound to its book: what the engine asks about a strategy on every bar,
 * answered without a lookup by name. `ledger.slice(...)` makes one.
 */
export class StrategySlice implements StrategyAccount {
  /** @internal Made by `Ledger.slice`. */
  constructor(
    readonly strategyId: string,
    readonly allocation: Cents,
    private readonly book: StrategyBook,
  ) {}

  /** `ledger.strategyEquity(this)`. */
  equity(): number {
    return this.book.equity(this.allocation);
  }

  /** `ledger.isExposed(this.strategyId)`. */
  isExposed(): boolean {
    return this.book.open !== 0;
  }

  /** Its cash: its allocation, less fees and the cost of its open positions, plus what it realised. */
  cash(): number {
    return fromCents(this.book.cash(this.allocation));
  }

  /** Σ |market value| of its open positions, at the last prices. */
  grossExposure(): number {
    return this.book.grossExposure();
  }
}


export interface StrategyAccount {
  readonly strategyId: string;
  /** The capital allocated to the strategy, in cents. */
  readonly allocation: Cents;
}
