import type { Bar } from '@trading-orchestrator/plugin-api';

/**
 * Merges per-series bar lists (each ascending) into one stream in time order; bars at the same time come in
 * the order of the series list, so a run is deterministic.
 */
export function* mergeBars(series: readonly (readonly Bar[])[]): Generator<Bar> {
  const next = series.map(() => 0);
  for (;;) {
    let best = -1;
    let bestTime = Number.POSITIVE_INFINITY;
    for (let s = 0; s < series.length; s++) {
      const bar = series[s]![next[s]!];
      if (bar !== undefined && bar.time < bestTime) {
        best = s;
        bestTime = bar.time;
      }
    }
    if (best < 0) return;
    yield series[best]![next[best]!++]!;
  }
}
