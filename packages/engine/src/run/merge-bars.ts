import type { Bar } from '@trading-orchestrator/plugin-api';

/**
 * Merges per-series bar lists (each ascending) into one stream in time order; bars at the same time come in
 * the order of the series list, so a run is deterministic.
 */
export function* mergeBars(series: readonly (readonly Bar[])[]): Generator<Bar> {
  const next = series.map(() => 0);
  for (;;) {
    const best = earliest(series, next, Number.POSITIVE_INFINITY);
    if (best < 0) return;
    yield series[best]![next[best]!++]!;
  }
}

/**
 * The merge order `mergeBars` and `mergePages` share: the series whose next bar (`lists[s][next[s]]`) comes first,
 * among bars no later than `until`, ties going to the earlier series. -1 when there is none. A list may be
 * undefined: a stream that has ended.
 */
export function earliest(lists: readonly (readonly Bar[] | undefined)[], next: readonly number[], until: number): number {
  let best = -1;
  let bestTime = until;
  for (let s = 0; s < lists.length; s++) {
    const bar = lists[s]?.[next[s]!];
    if (bar !== undefined && (bar.time < bestTime || (best < 0 && bar.time === bestTime))) {
      best = s;
      bestTime = bar.time;
    }
  }
  return best;
}
