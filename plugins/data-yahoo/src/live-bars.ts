import { setTimeout as sleep } from 'node:timers/promises';
import { timeframeToMs, type Bar, type BarUpdate, type LiveBarsRequest, type PluginClock } from '@trading-orchestrator/plugin-api';

/** The bars Yahoo's chart API has for a symbol over [start, end), ascending. */
export type ChartWindow = (symbol: string, start: number, end: number, signal: AbortSignal) => Promise<readonly Bar[]>;

export interface PollingOptions {
  readonly clock: PluginClock;
  /** Between two rounds of requests (one per symbol). */
  readonly pollIntervalMs: number;
  /** How long after a bar's period ends it is taken as final: Yahoo's latest rows still change for a little while. */
  readonly closeDelayMs: number;
}

/**
 * Live bars built by polling: each round asks Yahoo for every symbol's last few periods and gives each bar once as
 * closed when its period ended `closeDelayMs` ago, and the bar still forming (closed: false) whenever it changed.
 * Yahoo has no push feed, so a bar is final only some seconds after its period, and a round of many symbols takes
 * one request each (paced by the plugin's request pacer).
 */
export async function* pollLiveBars(request: LiveBarsRequest, window: ChartWindow, options: PollingOptions, signal: AbortSignal): AsyncGenerator<BarUpdate> {
  const step = timeframeToMs(request.timeframe);
  const lastClosed = new Map<string, number>();
  const lastForming = new Map<string, Bar>();
  while (!signal.aborted) {
    const now = options.clock.now();
    for (const symbol of request.symbols) {
      let bars: readonly Bar[];
      try {
        // Bars that have opened by now: the last few periods, enough to see the one that just closed.
        bars = await window(symbol, now - 3 * step - options.closeDelayMs, now + 1, signal);
      } catch (error) {
        if (signal.aborted) return;
        throw error;
      }
      for (const bar of bars) {
        if (bar.time + step + options.closeDelayMs <= now) {
          if (bar.time <= (lastClosed.get(symbol) ?? Number.NEGATIVE_INFINITY)) continue;
          lastClosed.set(symbol, bar.time);
          yield { bar, closed: true };
        } else {
          const seen = lastForming.get(symbol);
          if (seen !== undefined && seen.time === bar.time && seen.close === bar.close && seen.high === bar.high && seen.low === bar.low && seen.volume === bar.volume) continue;
          lastForming.set(symbol, bar);
          yield { bar, closed: false };
        }
      }
    }
    try {
      await sleep(options.pollIntervalMs, undefined, { signal });
    } catch {
      return;
    }
  }
}
