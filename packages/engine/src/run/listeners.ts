import type { EventBus } from '@trading-orchestrator/core-manager';

/**
 * Whether anyone listens to each topic the engine publishes, as of the bus's `changes` count: a payload nobody
 * hears is neither built nor published, and the hot path reads a flag instead of asking the bus (a Map look-up).
 */
export class Listeners {
  private asOf = -1;
  bar = false;
  equity = false;
  signal = false;
  ignored = false;
  order = false;
  fill = false;
  trade = false;
  position = false;
  tick = false;

  constructor(private readonly bus: EventBus) {}

  /** Reads the flags again only when the bus's subscriptions have changed. */
  refresh(): void {
    if (this.bus.changes !== this.asOf) this.read();
  }

  private read(): void {
    const bus = this.bus;
    this.asOf = bus.changes;
    this.bar = bus.hasSubscribers('bar');
    this.equity = bus.hasSubscribers('equity');
    this.signal = bus.hasSubscribers('signal');
    this.ignored = bus.hasSubscribers('signal-ignored');
    this.order = bus.hasSubscribers('order');
    this.fill = bus.hasSubscribers('fill');
    this.trade = bus.hasSubscribers('trade');
    this.position = bus.hasSubscribers('position');
    this.tick = bus.hasSubscribers('tick');
  }
}
