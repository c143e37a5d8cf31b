import type { ClosedTrade } from './metrics.js';

/**
 * What closed a trade: an exit or opposite `signal`, an order that reversed the position (`reversal`), one of the
 * broker's protective exits, or the run's end (`closeAtEnd`: closed at the last close, to be counted).
 */
export const EXIT_REASONS = ['signal', 'reversal', 'stop-loss', 'take-profit', 'trailing-stop', 'time-exit', 'end-of-run'] as const;
export type TradeExitReason = (typeof EXIT_REASONS)[number];

export interface TradeRecord extends ClosedTrade {
  readonly strategyId: string;
  readonly symbol: string;
  readonly direction: 'long' | 'short';
  /** Largest absolute quantity held during the trade. */
  readonly quantity: number;
  readonly fees: number;
  /** Absent in trades recorded before exit reasons (a checkpoint of an earlier version). */
  readonly exitReason?: TradeExitReason;
}

const LONG = 0;
const SHORT = 1;
const UNKNOWN_REASON = 255;

/**
 * The latest `capacity` closed trades of one strategy, oldest first. Kept as columns of numbers, not as records:
 * a record kept for thousands of bars is copied into the old generation, where a busy run's dead trades piled up
 * for the full collector (some 2,800 instructions a trade when a run trades every five bars). Records are made
 * when read.
 */
export class TradeLog {
  private readonly entryTime: Float64Array;
  private readonly exitTime: Float64Array;
  private readonly quantity: Float64Array;
  private readonly pnl: Float64Array;
  private readonly fees: Float64Array;
  private readonly direction: Uint8Array;
  /** Index into `EXIT_REASONS`, 255 when unknown. */
  private readonly reason: Uint8Array;
  /** Index into `symbols` per trade. */
  private readonly symbolAt: Uint32Array;
  /** Each symbol traded, once: a trade holds no string of its own. */
  private readonly symbols: string[] = [];
  private readonly symbolIndex = new Map<string, number>();
  private lastSymbol: string | undefined;
  private lastSymbolIndex = 0;
  private next = 0;
  private count = 0;

  constructor(
    readonly strategyId: string,
    readonly capacity: number,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`a trade log keeps at least 1 trade, got ${capacity}`);
    this.entryTime = new Float64Array(capacity);
    this.exitTime = new Float64Array(capacity);
    this.quantity = new Float64Array(capacity);
    this.pnl = new Float64Array(capacity);
    this.fees = new Float64Array(capacity);
    this.direction = new Uint8Array(capacity);
    this.reason = new Uint8Array(capacity);
    this.symbolAt = new Uint32Array(capacity);
  }

  /** Trades kept: at most `capacity`. */
  get length(): number {
    return this.count;
  }

  /** Keeps a trade of this strategy, dropping the oldest when full. */
  push(trade: TradeRecord): void {
    if (trade.strategyId !== this.strategyId) throw new RangeError(`trade log of "${this.strategyId}" was given a trade of "${trade.strategyId}"`);
    const at = this.next;
    this.entryTime[at] = trade.entryTime;
    this.exitTime[at] = trade.exitTime;
    this.quantity[at] = trade.quantity;
    this.pnl[at] = trade.pnl;
    this.fees[at] = trade.fees;
    this.direction[at] = trade.direction === 'long' ? LONG : SHORT;
    this.reason[at] = trade.exitReason === undefined ? UNKNOWN_REASON : EXIT_REASONS.indexOf(trade.exitReason);
    this.symbolAt[at] = this.indexOf(trade.symbol);
    this.next = at + 1 === this.capacity ? 0 : at + 1;
    if (this.count < this.capacity) this.count++;
  }

  /** The kept trades, oldest first, as new records. */
  toArray(): TradeRecord[] {
    const out: TradeRecord[] = [];
    const start = this.count < this.capacity ? 0 : this.next;
    for (let i = 0; i < this.count; i++) {
      const at = (start + i) % this.capacity;
      const reason = this.reason[at]!;
      out.push({
        strategyId: this.strategyId,
        symbol: this.symbols[this.symbolAt[at]!]!,
        direction: this.direction[at] === LONG ? 'long' : 'short',
        quantity: this.quantity[at]!,
        entryTime: this.entryTime[at]!,
        exitTime: this.exitTime[at]!,
        pnl: this.pnl[at]!,
        fees: this.fees[at]!,
        ...(reason === UNKNOWN_REASON ? {} : { exitReason: EXIT_REASONS[reason]! }),
      });
    }
    return out;
  }

  private indexOf(symbol: string): number {
    // A strategy's trades are mostly in the symbol of its last one.
    if (symbol === this.lastSymbol) return this.lastSymbolIndex;
    let index = this.symbolIndex.get(symbol);
    if (index === undefined) {
      index = this.symbols.length;
      this.symbols.push(symbol);
      this.symbolIndex.set(symbol, index);
    }
    this.lastSymbol = symbol;
    this.lastSymbolIndex = index;
    return index;
  }
}
