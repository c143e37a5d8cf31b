import type { Fill } from '@trading-orchestrator/plugin-api';

/** A fill cursor as a checkpoint keeps it: every venue trade before `since` is booked, and these after it. */
export interface FillCursorState {
  readonly since: number;
  readonly booked: readonly (readonly [tradeId: string, time: number])[];
}

/** How far behind the newest booked trade a venue may still report one: trades older than that are taken as booked. */
const LATE_MS = 60 * 60_000;

/**
 * The venue trades a live session has booked, by trade id: what lets a restarted session ask the venue for the
 * trades since its checkpoint and book exactly the ones it missed, and what books each reported trade once however
 * often the venue or the broker repeats it. Bounded: ids of trades more than an hour older than the newest are let
 * go, and the cursor moves up to there.
 */
export class FillCursor {
  private since: number;
  private readonly booked = new Map<string, number>();
  private newest = Number.NEGATIVE_INFINITY;

  constructor(from: FillCursorState | number) {
    if (typeof from === 'number') {
      this.since = from;
      return;
    }
    this.since = from.since;
    for (const [id, time] of from.booked) this.remember(id, time);
  }

  /** The time from which the venue's trades must be asked for to find any the session has not booked. */
  get from(): number {
    return this.since;
  }

  /** Whether a venue trade is new to the session; if it is, it counts as booked from now on. A fill without a trade id cannot be recognised again and is taken as new. */
  take(fill: Fill): boolean {
    if (fill.tradeId === undefined) return true;
    if (this.booked.has(fill.tradeId)) return false;
    this.remember(fill.tradeId, fill.time);
    return true;
  }

  state(): FillCursorState {
    return { since: this.since, booked: [...this.booked] };
  }

  private remember(id: string, time: number): void {
    this.booked.set(id, time);
    if (time <= this.newest) return;
    this.newest = time;
    const horizon = time - LATE_MS;
    if (horizon <= this.since) return;
    this.since = horizon;
    for (const [old, at] of this.booked) if (at < horizon) this.booked.delete(old);
  }
}
