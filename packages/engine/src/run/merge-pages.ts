import type { Bar } from '@trading-orchestrator/plugin-api';
import { earliest } from './merge-bars.js';

/**
 * Merges per-series streams of pages (each series ascending in time, as a data plugin's `historicalBars` yields
 * them) into batches in time order, holding only the pages in hand: a backtest of any length without loading its
 * history. The order is `mergeBars`' order (bars at the same time come in the order of the series list). Each
 * batch ends at the earliest time up to which every series still running has a page loaded, so no later page
 * can hold an earlier bar.
 */
export async function* mergePages(series: readonly AsyncIterable<readonly Bar[]>[]): AsyncGenerator<readonly Bar[]> {
  const sources = series.map((s) => s[Symbol.asyncIterator]());
  const pages: (readonly Bar[] | undefined)[] = series.map(() => []);
  const next = series.map(() => 0);
  try {
    for (;;) {
      // Every series still running gets a page with bars left (empty pages are skipped).
      for (let s = 0; s < sources.length; s++) {
        while (pages[s] !== undefined && next[s]! >= pages[s]!.length) {
          const step = await sources[s]!.next();
          pages[s] = step.done === true ? undefined : step.value;
          next[s] = 0;
        }
      }
      let horizon = Number.POSITIVE_INFINITY;
      for (let s = 0; s < sources.length; s++) {
        const page = pages[s];
        if (page !== undefined) horizon = Math.min(horizon, page[page.length - 1]!.time);
      }
      if (horizon === Number.POSITIVE_INFINITY) return;
      const batch: Bar[] = [];
      for (;;) {
        const best = earliest(pages, next, horizon);
        if (best < 0) break;
        batch.push(pages[best]![next[best]!++]!);
      }
      yield batch;
    }
  } finally {
    // Stopped early (an abort, an error): let every source release what it holds.
    await Promise.all(sources.map((source) => source.return?.()));
  }
}
