import type { EventBus, PluginManager } from '@trading-orchestrator/core-manager';

/** A signal as the checks compare it: when, for what, which way and how strongly. */
export interface TracedSignal {
  readonly time: number;
  readonly symbol: string;
  readonly side: string;
  readonly strength: number;
}

const sameMoment = (s: TracedSignal) => `${s.time}|${s.symbol}|${s.side}`;

/** Strengths closer than this are the same signal: a recursive average's last digits are not a different decision. */
export const STRENGTH_TOLERANCE = 1e-4;

/**
 * Every signal of every strategy in one run, and per strategy the first bar time at which its signals count on
 * every symbol (after the run's warmupBars and its own): the checks compare runs signal by signal.
 */
export class SignalTrace {
  readonly byStrategy = new Map<string, TracedSignal[]>();
  private readonly warmed = new Map<string, number>();
  private readonly seen = new Map<string, number>();
  private readonly warmups = new Map<string, number>();

  constructor(
    private readonly strategies: readonly string[],
    private readonly runWarmup: number,
  ) {}

  /** The time from which `strategyId`'s signals count on every symbol it has bars of. */
  countsFrom(strategyId: string): number {
    return this.warmed.get(strategyId) ?? Number.POSITIVE_INFINITY;
  }

  attach(bus: EventBus, manager: PluginManager): () => void {
    for (const id of this.strategies) this.warmups.set(id, Math.max(this.runWarmup + 1, Math.floor((manager.get(id)?.instance as { warmupBars?: number } | undefined)?.warmupBars ?? 0)));
    const offBar = bus.subscribe('bar', (bar) => {
      const n = (this.seen.get(bar.symbol) ?? 0) + 1;
      this.seen.set(bar.symbol, n);
      // The n-th bar of a symbol is where a strategy needing n bars starts to count; the latest symbol to get there decides.
      for (const [id, needed] of this.warmups) if (n === needed) this.warmed.set(id, Math.max(this.warmed.get(id) ?? Number.NEGATIVE_INFINITY, bar.time));
    });
    const offSignal = bus.subscribe('signal', (e) => {
      const list = this.byStrategy.get(e.strategyId) ?? [];
      list.push({ time: e.signal.time ?? Number.NaN, symbol: e.signal.symbol, side: e.signal.side, strength: e.signal.strength });
      this.byStrategy.set(e.strategyId, list);
    });
    return () => {
      offBar();
      offSignal();
    };
  }

  signals(strategyId: string): readonly TracedSignal[] {
    return this.byStrategy.get(strategyId) ?? [];
  }
}

/**
 * What one run emitted and the other did not, in time order: signals of the same time, symbol and side pair up when
 * their strengths are within STRENGTH_TOLERANCE; what is left unpaired on either side is a difference.
 */
export function signalDifferences(a: readonly TracedSignal[], b: readonly TracedSignal[]): { onlyA: TracedSignal[]; onlyB: TracedSignal[] } {
  const group = (list: readonly TracedSignal[]) => {
    const groups = new Map<string, TracedSignal[]>();
    for (const s of list) groups.set(sameMoment(s), [...(groups.get(sameMoment(s)) ?? []), s]);
    for (const g of groups.values()) g.sort((x, y) => x.strength - y.strength);
    return groups;
  };
  const fromA = group(a);
  const fromB = group(b);
  const onlyA: TracedSignal[] = [];
  const onlyB: TracedSignal[] = [];
  for (const [moment, mine] of fromA) {
    const theirs = fromB.get(moment) ?? [];
    // Both sorted by strength: pairing the nearest in one pass matches as many as any pairing can.
    let i = 0;
    let j = 0;
    while (i < mine.length && j < theirs.length) {
      const x = mine[i]!;
      const y = theirs[j]!;
      if (Math.abs(x.strength - y.strength) <= STRENGTH_TOLERANCE) {
        i++;
        j++;
      } else if (x.strength < y.strength) onlyA.push(mine[i++]!);
      else onlyB.push(theirs[j++]!);
    }
    onlyA.push(...mine.slice(i));
    onlyB.push(...theirs.slice(j));
  }
  for (const [moment, theirs] of fromB) if (!fromA.has(moment)) onlyB.push(...theirs);
  const byTime = (x: TracedSignal, y: TracedSignal) => x.time - y.time;
  return { onlyA: onlyA.sort(byTime), onlyB: onlyB.sort(byTime) };
}
