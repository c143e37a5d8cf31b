import type { RunConfig } from './run-config.js';

/** One data plugin of a run and the symbols it serves. */
export interface DataSourceEntry {
  /** The name it goes by in messages and the journal: its `id`, else its plugin id. */
  readonly id: string;
  /** Its instance in the plugin manager. */
  readonly instanceId: string;
  /** Where it is in the run file (`data`, or `data[1]` when there are several). */
  readonly path: string;
  readonly symbols: readonly string[];
  readonly entry: RunConfig['data'][number];
}

/** Where a run file's data entry `i` is, as the user wrote it: `data` when there is one, `data[i]` in a list of several. */
export function dataPath(count: number, i: number): string {
  return count === 1 ? 'data' : `data[${i}]`;
}

/** The run's data plugins, each with the symbols it serves: the one data plugin serves them all unless it names some. */
export function dataSources(config: RunConfig): DataSourceEntry[] {
  return config.data.map((entry, i) => {
    const id = entry.id ?? entry.plugin;
    return { id, instanceId: `data:${id}`, path: dataPath(config.data.length, i), symbols: entry.symbols ?? config.symbols, entry };
  });
}

/** The run's data plugins by name, for a summary line: `data-binance, data-yahoo`. */
export function dataNames(config: RunConfig): string {
  return config.data.map((d) => d.id ?? d.plugin).join(', ');
}

/** Which data plugin serves `symbol` (the config's checks made it exactly one). */
export function sourceOf<S extends DataSourceEntry>(sources: readonly S[], symbol: string): S {
  return sources.find((s) => s.symbols.includes(symbol)) ?? sources[0]!;
}

/** What is wrong with how a run's data plugins split its symbols, as [path, message] pairs. */
export function dataSplitProblems(data: RunConfig['data'], symbols: readonly string[]): [(string | number)[], string][] {
  const problems: [(string | number)[], string][] = [];
  const servedBy = new Map<string, number>();
  const ids = new Map<string, number>();
  data.forEach((entry, i) => {
    const id = entry.id ?? entry.plugin;
    if (ids.has(id)) problems.push([['data', i, 'id'], `id "${id}" is already used by ${dataPath(data.length, ids.get(id)!)}; give this one its own id`]);
    ids.set(id, i);
    if (entry.symbols === undefined) {
      if (data.length > 1) problems.push([['data', i, 'symbols'], `with more than one data plugin, each names the symbols it serves (symbols: [${symbols.join(', ')}] split between them)`]);
      else for (const symbol of symbols) servedBy.set(symbol, i);
      return;
    }
    entry.symbols.forEach((symbol, j) => {
      if (!symbols.includes(symbol)) problems.push([['data', i, 'symbols', j], `${symbol} is not one of the run's symbols (${symbols.join(', ')}); add it to symbols or remove it here`]);
      else if (servedBy.has(symbol)) problems.push([['data', i, 'symbols', j], `${symbol} is already served by ${dataPath(data.length, servedBy.get(symbol)!)}; a symbol comes from one data plugin`]);
      else servedBy.set(symbol, i);
    });
  });
  const unserved = symbols.filter((s) => !servedBy.has(s));
  if (unserved.length > 0 && problems.length === 0) problems.push([['data'], `no data plugin serves ${unserved.join(', ')}: add ${unserved.length === 1 ? 'it' : 'them'} to the symbols of one`]);
  return problems;
}
