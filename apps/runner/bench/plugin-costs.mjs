// What each reference plugin's onBar costs alone, per bar, on one million one-minute bars of a random walk (the
// calm settings of pipeline.bench.mjs): the time of building a bar, checking it and calling the hook, less the
// time of building and checking it. Prints the best of three rounds in ns; asserts nothing.
//
//   node bench/plugin-costs.mjs            every plugin
//   PART=rsi node bench/plugin-costs.mjs   one of ma, rsi, bands, guards, var, paper
import { paperBroker } from '@trading-orchestrator/engine';
import { checkBar } from '@trading-orchestrator/plugin-api';
import { riskGuards } from '@trading-orchestrator/risk-guards';
import { varRiskManager } from '@trading-orchestrator/risk-var';
import { bollingerReversion } from '@trading-orchestrator/strategy-bollinger';
import { maCrossover } from '@trading-orchestrator/strategy-ma-crossover';
import { rsiMeanReversion } from '@trading-orchestrator/strategy-rsi';
import { initDirect, randomWalk } from './direct.mjs';

const N = 1_000_000;
const ROUNDS = 3;
const plugins = {
  ma: [maCrossover, { fast: 50, slow: 200, minConfidence: 0.5 }],
  rsi: [rsiMeanReversion, { oversold: 10, overbought: 90 }],
  bands: [bollingerReversion, { k: 4 }],
  guards: [riskGuards, {}],
  var: [varRiskManager, { minHistory: 60, maxVarPct: 0.05, maxPositionWeight: 1, insufficientHistory: 'allow-with-warning' }],
  paper: [paperBroker, {}],
};

const { columns: prices, firstTime } = randomWalk(N);

// Every round moves on in time, so no plugin sees a bar that is not after its last one.
let round = 0;
/** Best ns per bar over the rounds of building a fresh bar, checking it (as the host does) and handing it to `use`. */
function perBar(use) {
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < ROUNDS; r++) {
    const start = firstTime + ++round * N * 60_000;
    const t0 = performance.now();
    for (let i = 0; i < N; i++) {
      const bar = { symbol: 'BTC', timeframe: '1m', time: start + i * 60_000, open: prices.open[i], high: prices.high[i], low: prices.low[i], close: prices.close[i], volume: 1 };
      checkBar(bar);
      use(bar);
    }
    best = Math.min(best, ((performance.now() - t0) * 1e6) / N);
  }
  return best;
}

const baseline = perBar(() => {});
console.log(`${'building and checking a bar'.padEnd(28)} ${baseline.toFixed(0).padStart(4)} ns`);
for (const [name, [definition, config]] of Object.entries(plugins)) {
  if (process.env.PART !== undefined && process.env.PART !== name) continue;
  const plugin = await initDirect(definition, config);
  console.log(`${`${name} onBar`.padEnd(28)} ${(perBar((bar) => plugin.onBar(bar)) - baseline).toFixed(0).padStart(4)} ns`);
}
