import type { Fill } from '@trading-orchestrator/plugin-api';
import type { Instrument } from '../instruments/instruments.js';
import type { OpenTrade, OrderRequest, WorkingOrder } from './engine-types.js';
import type { SlotState } from './slot-state.js';

/**
 * The engine's record of one strategy's dealings in one symbol: the signals waiting for the next bar, the orders at
 * the broker, the entries since it was last flat and the trade in progress. Made on the strategy's first signal for
 * the symbol and kept for the run, so trading adds and drops no Map entries: a Map that keeps losing and gaining
 * entries replaces its hash table, and each dead table in old space kept the next one alive until a full
 * collection (the largest share of the RSS growth on a busy run).
 */
export class PositionTrack {
  /** Signals made on earlier bars, turned into orders at the symbol's next bar (`OrderDesk.release`). */
  readonly pending: OrderRequest[] = [];
  /** Orders sent and not yet filled, cancelled or rejected. */
  readonly working: WorkingOrder[] = [];
  /**
   * Ids whose fills belong here: the working orders, and the filled entries of the open position, whose bracket
   * legs fill as `<id>:<leg>`. Emptied of the filled ones when the position is flat.
   */
  readonly orderIds: string[] = [];
  /** Entry orders (opening or adding) since the position was last flat, working ones included. */
  entries = 0;
  /** The trade in progress; undefined while flat. */
  open: OpenTrade | undefined = undefined;

  constructor(
    readonly owner: SlotState,
    readonly symbol: string,
    /** How the symbol trades. */
    readonly instrument: Instrument,
    /** The ledger's box of what the strategy holds in the symbol: `held.quantity` is the filled position, signed. */
    readonly held: { readonly quantity: number },
  ) {}

  /** Σ what is left of the working orders, signed (buys positive). */
  workingQuantity(): number {
    let q = 0;
    for (let i = 0; i < this.working.length; i++) {
      const w = this.working[i]!;
      q += w.side === 'buy' ? w.remaining : -w.remaining;
    }
    return q;
  }

  workingOrder(id: string): WorkingOrder | undefined {
    for (let i = 0; i < this.working.length; i++) if (this.working[i]!.id === id) return this.working[i];
    return undefined;
  }

  /**
   * An order no longer working, giving back its claim on buying power. A filled entry stays an entry of the
   * position, and its id stays for its bracket's legs; a cancelled one keeps its id too, so a fill the venue made
   * before it heard of the cancel is still booked; a rejected one is forgotten.
   */
  endWorking(order: WorkingOrder, outcome: 'filled' | 'cancelled' | 'rejected'): boolean {
    const at = this.working.indexOf(order);
    if (at < 0) return false;
    this.working.splice(at, 1);
    this.owner.claimedCash -= order.claimCash;
    this.owner.claimedExposure -= order.claimExposure;
    if (outcome !== 'filled' && order.entry) this.entries = Math.max(0, this.entries - 1);
    if (outcome === 'rejected') {
      const id = this.orderIds.indexOf(order.id);
      if (id >= 0) this.orderIds.splice(id, 1);
    }
    return true;
  }

  /** The working orders that open or add: what an order planned now must count on top of what is held. */
  workingEntries(): number {
    let entries = 0;
    for (let i = 0; i < this.working.length; i++) if (this.working[i]!.entry) entries++;
    return entries;
  }
}

/** Every strategy's tracks, by symbol: whose order a fill is for, in one look-up. */
export class TrackBook {
  private readonly bySymbol = new Map<string, PositionTrack[]>();
  /** Requests waiting across all tracks: while none do, a bar looks for none. */
  pendingCount = 0;
  /** Limit orders working across all tracks: while none do, a bar looks for none to expire. */
  limitsWorking = 0;

  /** `instrumentOf` and `holdingOf` give a new track what it keeps of the instruments and the ledger. */
  constructor(
    private readonly instrumentOf: (symbol: string) => Instrument,
    private readonly holdingOf: (strategyId: string, symbol: string) => { readonly quantity: number },
  ) {}

  /** The strategy's track of a symbol, made on first use. */
  of(state: SlotState, symbol: string): PositionTrack {
    let track = state.positions.get(symbol);
    if (track === undefined) {
      track = new PositionTrack(state, symbol, this.instrumentOf(symbol), this.holdingOf(state.slot.instanceId, symbol));
      state.positions.set(symbol, track);
      const tracks = this.bySymbol.get(symbol);
      if (tracks === undefined) this.bySymbol.set(symbol, [track]);
      else {
        // In the strategies' order, so that what several strategies ask at one time is done in the config's order.
        const at = tracks.findIndex((t) => t.owner.index > state.index);
        tracks.splice(at < 0 ? tracks.length : at, 0, track);
      }
    }
    return track;
  }

  /**
   * After a fill that left `track` flat: only its working entries can fill for it any more (brackets go with their
   * position, and an order that only reduces has nothing left to reduce: the broker closes at most what is held),
   * and the entries are those. Emptied by popping and pushing back: setting `length` calls the runtime.
   */
  settleFlat(track: PositionTrack): void {
    for (let i = track.working.length - 1; i >= 0; i--) {
      const order = track.working[i]!;
      if (!order.entry) this.endWorking(track, order, 'filled');
    }
    while (track.orderIds.length > 0) track.orderIds.pop();
    for (let i = 0; i < track.working.length; i++) track.orderIds.push(track.working[i]!.id);
    track.entries = track.working.length;
  }

  /** A working order of `track` has filled, been cancelled or rejected. */
  endWorking(track: PositionTrack, order: WorkingOrder, outcome: 'filled' | 'cancelled' | 'rejected'): void {
    if (track.endWorking(order, outcome) && order.limit) this.limitsWorking--;
  }

  /** Every strategy's track of a symbol, in the strategies' order, or undefined when none has one. */
  ofSymbol(symbol: string): readonly PositionTrack[] | undefined {
    return this.bySymbol.get(symbol);
  }

  /** The position whose order (or bracket leg, `<entry id>:<leg>`) filled, if the order is still tracked. */
  ofFill(fill: Fill): PositionTrack | undefined {
    const tracks = this.bySymbol.get(fill.symbol);
    if (tracks === undefined) return undefined;
    const held = holding(tracks, fill.orderId);
    if (held !== undefined) return held;
    const leg = fill.orderId.lastIndexOf(':');
    return leg < 0 ? undefined : holding(tracks, fill.orderId.slice(0, leg));
  }

  all(): PositionTrack[] {
    return [...this.bySymbol.values()].flat();
  }

  clear(): void {
    this.bySymbol.clear();
    this.pendingCount = 0;
    this.limitsWorking = 0;
  }
}

/** The track among a symbol's that has the order. */
function holding(tracks: readonly PositionTrack[], orderId: string): PositionTrack | undefined {
  for (let i = 0; i < tracks.length; i++) if (tracks[i]!.orderIds.includes(orderId)) return tracks[i];
  return undefined;
}
