import type { LoadablePlugin } from '@trading-orchestrator/core-manager';
import type { Problem } from '@trading-orchestrator/plugin-api';
import type { PluginReference } from './plugin-references.js';
import { dataSources } from './data-sources.js';
import type { RunConfig } from './run-config.js';

const list = (items: readonly string[]) => items.join(', ');

/**
 * What each plugin's manifest says it can do (`capabilities`), against what the run asks of it: the timeframes
 * and symbols it would see, and for a data plugin the feeds the mode needs (history for a backtest and for warm-up,
 * live bars for a paper session). `markets` is descriptive: symbols do not say which market they belong to.
 */
export function capabilityProblems(config: RunConfig, refs: readonly PluginReference[], found: ReadonlyMap<string, LoadablePlugin>): Problem[] {
  const problems: Problem[] = [];
  const sources = dataSources(config);
  for (const ref of refs) {
    const capabilities = found.get(ref.path)?.manifest?.capabilities;
    if (capabilities === undefined) continue;
    const problem = (message: string) => problems.push({ path: `${ref.path}.plugin`, message: `${ref.id} ${message} (its manifest's capabilities)`, severity: 'error' });
    const strategy = ref.kind === 'strategy' ? config.strategies[Number(/\[(\d+)\]/.exec(ref.path)?.[1])] : undefined;
    const timeframes = strategy?.timeframes ?? [config.timeframe];
    const source = ref.kind === 'data' ? sources.find((d) => d.path === ref.path) : undefined;
    const symbols = strategy?.symbols ?? source?.symbols ?? config.symbols;
    if (capabilities.timeframes !== undefined) {
      const missing = timeframes.filter((t) => !capabilities.timeframes!.includes(t));
      if (missing.length > 0) problem(`works on ${list(capabilities.timeframes)} bars, not ${list(missing)}`);
    }
    if (capabilities.symbols !== undefined) {
      const missing = symbols.filter((s) => !capabilities.symbols!.includes(s));
      if (missing.length > 0) problem(`${ref.kind === 'data' ? 'serves' : 'trades'} ${list(capabilities.symbols)}, not ${list(missing)}`);
    }
    if (ref.kind === 'data' && capabilities.feeds !== undefined) {
      const needed = config.mode !== 'backtest' ? ['live', ...(config.warmupBars > 0 ? ['historical' as const] : [])] : ['historical'];
      const missing = needed.filter((f) => !capabilities.feeds!.includes(f as 'historical'));
      if (missing.length > 0) {
        const why = config.mode !== 'backtest' ? `a ${config.mode} session needs live bars (and history to warm up on)` : 'a backtest needs history';
        problem(`serves ${list(capabilities.feeds)} data, not ${list(missing)}: ${why}; a data plugin with a live feed is e.g. data-binance`);
      }
    }
  }
  return problems;
}
