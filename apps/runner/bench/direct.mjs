// What the benchmarks share: the random walk they run on, and starting a plugin without the host.
import { generateBars } from '@trading-orchestrator/market-data';

/**
 * `count` one-minute bars of a seeded random walk (BTC from 30,000, volatility 0.6; `seed` picks the walk) as columns, generated before
 * any clock starts so the data source is not what a benchmark measures.
 */
export function randomWalk(count, seed = 1) {
  const columns = { open: new Float64Array(count), high: new Float64Array(count), low: new Float64Array(count), close: new Float64Array(count), volume: new Float64Array(count) };
  let firstTime = 0;
  let i = 0;
  for (const bar of generateBars({ symbol: 'BTC', timeframe: '1m', count, seed, volatility: 0.6, initialPrice: 30_000 })) {
    if (i === 0) firstTime = bar.time;
    for (const k of Object.keys(columns)) columns[k][i] = bar[k];
    i++;
  }
  return { columns, firstTime };
}

const silent = { debug() {}, info() {}, warn() {}, error() {} };

/** A plugin instance started straight from its definition: config validated, no guard, bus or clock behind it. */
export function initDirect(definition, config, pluginId = 'bench') {
  return definition.init({
    pluginId,
    config: definition.configSchema['~standard'].validate(config).value,
    logger: silent,
    clock: { now: () => 0 },
    signal: new AbortController().signal,
    subscribe: () => () => {},
    raise() {},
    reportFill() {},
    reportOrder() {},
  });
}
