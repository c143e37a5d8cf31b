// Bars per second through the whole pipeline (one symbol; three strategies, VaR and guards, the paper broker),
// with the journal off and on, next to a hand-wired loop that calls the same plugin instances directly (no guard,
// bus, router, gate or awaits), and the RSS growth over the run. Prints figures; asserts nothing.
// Run: pnpm --filter @trading-orchestrator/runner bench        (BARS=10000000 for the long run)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PluginManager } from '@trading-orchestrator/core-manager';
import { BacktestEngine, Ledger, paperBroker } from '@trading-orchestrator/engine';
import { Journal } from '@trading-orchestrator/journal';
import { generateBars } from '@trading-orchestrator/market-data';
import { riskGuards } from '@trading-orchestrator/risk-guards';
import { varRiskManager } from '@trading-orchestrator/risk-var';
import { bollingerReversion } from '@trading-orchestrator/strategy-bollinger';
import { maCrossover } from '@trading-orchestrator/strategy-ma-crossover';
import { rsiMeanReversion } from '@trading-orchestrator/strategy-rsi';

const BARS = Number(process.env.BARS ?? 300_000);
const builtIn = (id, definition) => ({ id, kind: definition.kind, version: '1.0.0', packageName: id, packageDir: '.', manifest: undefined, definition });
const plugins = [
  { plugin: builtIn('ma', maCrossover), config: { fast: 20, slow: 50 } },
  { plugin: builtIn('rsi', rsiMeanReversion), config: {} },
  { plugin: builtIn('bands', bollingerReversion), config: {} },
  { plugin: builtIn('guards', riskGuards), config: {} },
  { plugin: builtIn('var', varRiskManager), config: { minHistory: 60, maxVarPct: 0.05, maxPositionWeight: 1, insufficientHistory: 'allow-with-warning' } },
  { plugin: builtIn('paper', paperBroker), config: {} },
];
const slots = ['ma', 'rsi', 'bands'].map((id) => ({ instanceId: id, allocation: 1 / 3, sizing: { method: 'fixed-fraction', fraction: 0.5, maxPositionFraction: 1 } }));
const bars = () => generateBars({ symbol: 'BTC', timeframe: '1m', count: BARS, seed: 1, volatility: 0.6, initialPrice: 30_000 });
const noop = { debug() {}, info() {}, warn() {}, error() {} };

async function pipeline(journalPath) {
  const manager = new PluginManager({ log: () => {} });
  await manager.load(plugins);
  await manager.start();
  const journal = journalPath === undefined ? undefined : Journal.open(journalPath);
  const detach = journal?.attach(manager.bus, journal.startRun({ label: 'bench', mode: 'backtest', config: {}, startedAt: 0 }));
  const engine = new BacktestEngine({ manager, brokerId: 'paper', riskIds: ['guards', 'var'], strategies: slots, capital: 1_000_000, periodsPerYear: 525_600 });
  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const t0 = performance.now();
  const result = await engine.run(bars(), new AbortController().signal);
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(timer);
  detach?.();
  journal?.close();
  await manager.shutdown();
  return { seconds, bars: result.bars, trades: result.metrics?.trades ?? 0, rssGrowth: peak - rss0 };
}

/** The same plugin instances called straight: what the plugin layer's cost is measured against. */
async function handWired() {
  const ctx = (config) => ({ pluginId: 'x', config, logger: noop, clock: { now: () => 0 }, signal: new AbortController().signal, subscribe: () => () => {}, raise() {}, reportFill() {}, reportOrder() {} });
  const parse = (def, config) => def.configSchema['~standard'].validate(config).value;
  const strategies = [
    await maCrossover.init(ctx(parse(maCrossover, { fast: 20, slow: 50 }))),
    await rsiMeanReversion.init(ctx(parse(rsiMeanReversion, {}))),
    await bollingerReversion.init(ctx(parse(bollingerReversion, {}))),
  ];
  const risks = [await riskGuards.init(ctx(parse(riskGuards, {}))), await varRiskManager.init(ctx(parse(varRiskManager, { minHistory: 60, maxVarPct: 0.05, maxPositionWeight: 1, insufficientHistory: 'allow-with-warning' })))];
  const broker = await paperBroker.init(ctx(parse(paperBroker, {})));
  const ledger = new Ledger(1_000_000);
  const owner = new Map();
  let seq = 0;
  let n = 0;
  const t0 = performance.now();
  for (const bar of bars()) {
    n++;
    for (const fill of broker.onBar(bar) ?? []) {
      const id = owner.get(fill.orderId.split(':')[0]);
      if (id !== undefined) ledger.applyFill(id, fill);
    }
    ledger.mark(bar.symbol, bar.close);
    for (const r of risks) r.onBar?.(bar);
    for (let s = 0; s < strategies.length; s++) {
      const signal = strategies[s].onBar(bar);
      if (signal === undefined || signal === null || Array.isArray(signal)) continue;
      const id = slots[s].instanceId;
      const held = ledger.quantity(id, bar.symbol);
      if (signal.side === 'buy' && held === 0) {
        const quantity = Math.floor(((ledger.strategyEquity({ strategyId: id, allocation: 33_333_333 }) * 0.5) / bar.close) * 1e6) / 1e6;
        const intent = { id: `${id}-${++seq}`, symbol: bar.symbol, side: 'buy', quantity, type: 'market', reduceOnly: false, strategyId: id, time: bar.time, referencePrice: bar.close };
        const portfolio = ledger.snapshot(bar.time);
        if (risks.every((r) => r.checkOrder(intent, portfolio).action !== 'deny')) {
          owner.set(intent.id, id);
          broker.submit(intent);
        }
      } else if (signal.side !== 'buy' && held > 0) {
        const intent = { id: `${id}-${++seq}`, symbol: bar.symbol, side: 'sell', quantity: held, type: 'market', reduceOnly: true, strategyId: id, time: bar.time, referencePrice: bar.close };
        owner.set(intent.id, id);
        broker.submit(intent);
      }
    }
  }
  return { seconds: (performance.now() - t0) / 1000, bars: n };
}

const dir = mkdtempSync(join(tmpdir(), 'to-bench-'));
try {
  const wired = await handWired();
  const off = await pipeline(undefined);
  const on = await pipeline(join(dir, 'bench.db'));
  const rate = (r) => Math.round(r.bars / r.seconds);
  console.log(`pipeline: ${BARS.toLocaleString('en')} one-minute bars of one symbol, 3 strategies, risk-guards + risk-var, paper broker (Node ${process.version})`);
  console.log(`  hand-wired loop      ${rate(wired).toLocaleString('en').padStart(10)} bars/s`);
  console.log(`  engine, journal off  ${rate(off).toLocaleString('en').padStart(10)} bars/s   ${(rate(wired) / rate(off)).toFixed(2)}x the hand-wired time   trades ${off.trades}   RSS growth ${(off.rssGrowth / 1e6).toFixed(1)} MB`);
  console.log(`  engine, journal on   ${rate(on).toLocaleString('en').padStart(10)} bars/s   ${(rate(wired) / rate(on)).toFixed(2)}x the hand-wired time   RSS growth ${(on.rssGrowth / 1e6).toFixed(1)} MB`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
