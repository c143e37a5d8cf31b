import { SignalTally, type EventBus, type ShadowComparison } from '@trading-orchestrator/core-manager';

/**
 * Shadow strategies against the live ones: their signals counted and compared point by point (same symbol, same
 * time), over the latest 10,000 points of each. What the terminal summary, the report and the control API show.
 */
export class ShadowSummary {
  private readonly tally = new SignalTally();

  attach(bus: EventBus): () => void {
    return bus.subscribe('signal', (e) => this.tally.record(e, e.signal.time ?? 0));
  }

  /** Each shadow strategy that signalled, against each live one that did. */
  comparisons(): ShadowComparison[] {
    const all = this.tally.tallies();
    const live = all.filter((t) => !t.shadow);
    return all.filter((t) => t.shadow).flatMap((s) => live.map((l) => this.tally.compare(s.instanceId, l.instanceId)));
  }

  lines(): string[] {
    const list = this.comparisons();
    if (list.length === 0) return [];
    return [
      'shadow strategies against the live ones (signals at the same symbol and time):',
      ...list.map((c) => `  ${c.shadow} (shadow) vs ${c.live}: agreed ${c.agreed}, disagreed ${c.disagreed}, only the shadow ${c.onlyShadow}, only ${c.live} ${c.onlyLive}`),
    ];
  }
}
