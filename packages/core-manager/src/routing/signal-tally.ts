import type { SignalEvent, SignalSide } from '@trading-orchestrator/plugin-api';

export interface InstanceTally {
  readonly instanceId: string;
  readonly shadow: boolean;
  readonly buy: number;
  readonly sell: number;
  readonly exit: number;
}

export interface ShadowComparison {
  readonly shadow: string;
  readonly live: string;
  /** Symbol-and-time points where both signalled the same side. */
  readonly agreed: number;
  /** Points where both signalled, on different sides. */
  readonly disagreed: number;
  readonly onlyShadow: number;
  readonly onlyLive: number;
}

/**
 * Counts signals per instance and remembers the side of each instance's latest signal per symbol and time, so a
 * shadow strategy can be compared with a live one. Memory is bounded by `window` points per instance.
 */
export class SignalTally {
  private readonly counts = new Map<string, { shadow: boolean; buy: number; sell: number; exit: number }>();
  private readonly recent = new Map<string, Map<string, SignalSide>>();

  constructor(private readonly window = 10_000) {}

  record(event: SignalEvent, time: number): void {
    const c = this.counts.get(event.strategyId) ?? { shadow: event.shadow, buy: 0, sell: 0, exit: 0 };
    c[event.signal.side]++;
    this.counts.set(event.strategyId, c);
    let points = this.recent.get(event.strategyId);
    if (points === undefined) this.recent.set(event.strategyId, (points = new Map()));
    points.set(`${event.signal.symbol}@${time}`, event.signal.side);
    if (points.size > this.window) points.delete(points.keys().next().value as string);
  }

  tallies(): InstanceTally[] {
    return [...this.counts].map(([instanceId, c]) => ({ instanceId, ...c }));
  }

  /** Over the points both instances still remember. */
  compare(shadow: string, live: string): ShadowComparison {
    const s = this.recent.get(shadow) ?? new Map<string, SignalSide>();
    const l = this.recent.get(live) ?? new Map<string, SignalSide>();
    let agreed = 0;
    let disagreed = 0;
    let onlyShadow = 0;
    for (const [point, side] of s) {
      const other = l.get(point);
      if (other === undefined) onlyShadow++;
      else if (other === side) agreed++;
      else disagreed++;
    }
    let onlyLive = 0;
    for (const point of l.keys()) if (!s.has(point)) onlyLive++;
    return { shadow, live, agreed, disagreed, onlyShadow, onlyLive };
  }
}
