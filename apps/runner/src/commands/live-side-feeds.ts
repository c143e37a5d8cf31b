import type { PluginManager } from '@trading-orchestrator/core-manager';
import type { BacktestEngine } from '@trading-orchestrator/engine';
import type { DataProvider } from '@trading-orchestrator/plugin-api';

export interface SideFeedOptions {
  readonly source: DataProvider;
  readonly engine: BacktestEngine;
  readonly manager: PluginManager;
  readonly symbols: readonly string[];
  /** The session's stop. */
  readonly signal: AbortSignal;
  /** Ticks from before this time (the live start) are left out. */
  readonly from: number;
  /** Runs engine work in turn with the bars. */
  readonly inTurn: <T>(work: () => T | Promise<T>) => Promise<T>;
  readonly warn: (message: string) => void;
}

/**
 * The live streams beside the bars: trade prints to the strategies' `onTick` (only when one implements it and the
 * data plugin streams them), and quotes onto the `quote` topic (only when something subscribed to it). A stream
 * that fails is said and left off; the bars go on. `stop` ends them and waits until they have.
 */
export function liveSideFeeds(options: SideFeedOptions): { stop(): Promise<void> } {
  const { source, engine, manager, symbols } = options;
  const controller = new AbortController();
  const signal = AbortSignal.any([options.signal, controller.signal]);
  const pumps: Promise<void>[] = [];
  const pump = async <T>(what: string, items: AsyncIterable<T>, handle: (item: T) => unknown): Promise<void> => {
    try {
      for await (const item of items) {
        if (signal.aborted) return;
        await handle(item);
      }
    } catch (error) {
      if (!signal.aborted) options.warn(`the data plugin's ${what} stopped (${(error as Error).message}); the session goes on with bars alone`);
    }
  };
  if (engine.wantsTicks && source.liveTicks !== undefined) {
    pumps.push(pump('trade prints', source.liveTicks({ symbols, signal }), (tick) => (tick.time >= options.from ? options.inTurn(() => engine.tick(tick)) : undefined)));
  }
  if (source.liveQuotes !== undefined && manager.bus.hasSubscribers('quote')) {
    pumps.push(pump('quotes', source.liveQuotes({ symbols, signal }), (quote) => manager.bus.publish('quote', quote)));
  }
  return {
    stop: async () => {
      controller.abort();
      await Promise.all(pumps);
    },
  };
}
