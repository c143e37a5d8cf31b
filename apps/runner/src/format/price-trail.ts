import type { EventBus } from '@trading-orchestrator/core-manager';
import type { Timeframe } from '@trading-orchestrator/plugin-api';

/** Points kept per symbol: past it, every other point goes and the stride doubles, so memory stays bounded. */
const MAX_POINTS = 4_000;

/** Each symbol's closes over a run, thinned evenly, for the report's price charts: of one timeframe per symbol (the first it sees). */
export class PriceTrail {
  private readonly trails = new Map<string, { timeframe: Timeframe; points: { time: number; value: number }[]; stride: number; seen: number }>();

  attach(bus: EventBus): () => void {
    return bus.subscribe('bar', (bar) => {
      let t = this.trails.get(bar.symbol);
      if (t === undefined) this.trails.set(bar.symbol, (t = { timeframe: bar.timeframe, points: [], stride: 1, seen: 0 }));
      if (bar.timeframe !== t.timeframe) return;
      if (t.seen++ % t.stride !== 0) return;
      t.points.push({ time: bar.time, value: bar.close });
      if (t.points.length > MAX_POINTS) {
        t.points = t.points.filter((_, i) => i % 2 === 0);
        t.stride *= 2;
      }
    });
  }

  series(): { symbol: string; points: { time: number; value: number }[] }[] {
    return [...this.trails].map(([symbol, t]) => ({ symbol, points: t.points }));
  }
}
