import type { PluginManager } from '@trading-orchestrator/core-manager';
import { tickProblem, type BacktestEngine } from '@trading-orchestrator/engine';
import type { DataProvider, Tick } from '@trading-orchestrator/plugin-api';

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
  /** The data plugin, named when its prints are refused. */
  readonly pluginId: string;
  /** The host's clock (tests set it). */
  readonly now?: () => number;
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
    const traded = new Set(symbols);
    const now = options.now ?? Date.now;
    const said = new Set<string>();
    const take = (tick: Tick) => {
      // Checked and frozen before any strategy sees it, as a bar is; the first refusal of each kind is said.
      const problem = tickProblem(tick, traded, now());
      if (problem !== undefined) {
        if (!said.has(problem[0])) {
          said.add(problem[0]);
          options.warn(`refused a trade print from data plugin "${options.pluginId}" (${problem[0]}): ${problem[1]}; more of this kind are left out without a word`);
        }
        return undefined;
      }
      if (tick.time < options.from) return undefined;
      Object.freeze(tick);
      return options.inTurn(() => engine.tick(tick));
    };
    pumps.push(pump('trade prints', source.liveTicks({ symbols, signal }), take));
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
