import type { RunContext } from '../run/run-context.js';

/**
 * The clock's side of a bar: when a bar opens a new time, the equity of the time just completed is booked for the
 * account and each trading strategy, into the metrics, the thinned curves and (through the bus) the journal.
 */
export class EquityRecorder {
  /** Whether the bars at the current time were only warmed up on: no account activity, no equity point. */
  warmOnly = false;

  constructor(private readonly ctx: RunContext) {}

  /** Books the equity of the time just completed: account and strategies, into the metrics, curves and journal. */
  record(): void {
    const { ctx } = this;
    // A time only warmed up on has no account activity: no equity point (a resumed session recorded it already).
    if (ctx.currentTime === Number.NEGATIVE_INFINITY || this.warmOnly) return;
    const time = ctx.currentTime;
    const equity = ctx.ledger.equity();
    const exposed = ctx.ledger.isExposed();
    ctx.metrics.addPoint(time, equity, exposed);
    ctx.curve.add(time, equity, exposed);
    ctx.benchmark.record(time);
    const slots = ctx.tradingSlots;
    for (let i = 0; i < slots.length; i++) {
      const s = slots[i]!;
      const slice = s.account.equity();
      // Its own positions, not the account's: a hedged book is flat while both strategies hold positions.
      const slotExposed = s.account.isExposed();
      s.metrics.addPoint(time, slice, slotExposed);
      s.curve.add(time, slice, slotExposed);
    }
    ctx.listeners.refresh();
    if (ctx.listeners.equity) this.publish(time, equity);
  }

  // Apart from `record`, which runs on every bar and stays small enough for its callees to be inlined.
  private publish(time: number, equity: number): void {
    const { ctx } = this;
    ctx.bus.publish('equity', { time, equity });
    for (const s of ctx.tradingSlots) ctx.bus.publish('equity', { time, equity: s.account.equity(), strategyId: s.slot.instanceId });
  }
}
