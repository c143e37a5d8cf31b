// Bars per second through the whole pipeline (one symbol; three strategies, VaR and guards, the paper broker),
// with the journal off and on, next to a hand-wired loop that calls the same plugin instances and does the same
// bookkeeping and arithmetic directly (ledger, sizing, metrics and the thinned equity curves of the result; no guard,
// bus, router, gate or trade records), and the RSS growth over each run.
// Prints figures; asserts nothing.
//
//   pnpm --filter @trading-orchestrator/runner bench                 300,000 bars
//   BARS=10000000 pnpm --filter @trading-orchestrator/runner bench   the issue's ten million
//   ONLY=off,wired ...                                               these runs, in this order (default wired,off,on)
//   SAME_PROCESS=1 ...                                               all runs in one process (each has its own by default)
//   MIX=calm ...                                                     strategy settings that seldom trade (per-bar cost)
//   MIX=busy ...                                                     a round trip every five bars, risk-guards only
//                                                                    (the engine's per-trade bookkeeping)
//   REPEAT=5 ...                                                     each run five times, interleaved; the fastest counts,
//                                                                    and the median of the five paired ratios is printed too
//   ONLY=bars ...                                                    only make the bars (the baseline for per-bar counts)
//   JOURNAL=/tmp/run.db ...                                          the journal-on run writes (and keeps) this file
import { PluginManager } from '@trading-orchestrator/core-manager';
import { BacktestEngine, BuyAndHold, EquitySampler, InstrumentBook, Ledger, paperBroker, PositionSizer, roundQuantity, RunningMetrics, toCents } from '@trading-orchestrator/engine';
import { Journal } from '@trading-orchestrator/journal';
import { riskGuards } from '@trading-orchestrator/risk-guards';
import { varRiskManager } from '@trading-orchestrator/risk-var';
import { bollingerReversion } from '@trading-orchestrator/strategy-bollinger';
import { maCrossover } from '@trading-orchestrator/strategy-ma-crossover';
import { rsiMeanReversion } from '@trading-orchestrator/strategy-rsi';
import { initDirect, randomWalk } from './direct.mjs';
import { inOwnProcess, interleavedRounds, journalBytes, journalSize, withJournalFile } from './runs.mjs';

const BARS = Number(process.env.BARS ?? 300_000);
const ONLY = process.env.ONLY;
const CAPITAL = 1_000_000;
const PERIODS_PER_YEAR = 525_600;
const builtIn = (id, definition) => ({ id, kind: definition.kind, version: '1.0.0', packageName: id, packageDir: '.', manifest: undefined, definition });
// The default mix trades a round trip every 19 bars, so per-trade work (risk checks, fills) dominates; the calm
// mix trades a few hundred times in a million bars, which leaves the per-bar cost of the pipeline. The busy mix
// trades every five bars and asks only risk-guards (not risk-var's VaR estimates), so what the engine does around
// each order and fill is most of the pipeline's cost beyond the plugins.
const MIX = process.env.MIX === 'calm' || process.env.MIX === 'busy' ? process.env.MIX : 'active';
const strategyConfigs =
  MIX === 'calm'
    ? { ma: { fast: 50, slow: 200, minConfidence: 0.5 }, rsi: { oversold: 10, overbought: 90 }, bands: { k: 4 } }
    : MIX === 'busy'
      ? { ma: { fast: 2, slow: 3 }, rsi: {}, bands: {} }
      : { ma: { fast: 20, slow: 50 }, rsi: {}, bands: {} };
const RISKS = MIX === 'busy' ? ['guards'] : ['guards', 'var'];
const configs = {
  ma: [maCrossover, strategyConfigs.ma],
  rsi: [rsiMeanReversion, strategyConfigs.rsi],
  bands: [bollingerReversion, strategyConfigs.bands],
  guards: [riskGuards, {}],
  var: [varRiskManager, { minHistory: 60, maxVarPct: 0.05, maxPositionWeight: 1, insufficientHistory: 'allow-with-warning' }],
  paper: [paperBroker, {}],
};
const STRATEGIES = ['ma', 'rsi', 'bands'];
const sizing = { method: 'fixed-fraction', fraction: 0.5, maxPositionFraction: 1 };
const slots = STRATEGIES.map((id) => ({ instanceId: id, allocation: 1 / 3, sizing }));

// One million bars of a synthetic random walk, generated before any clock starts and repeated (scaled so the
// price path stays continuous) for longer runs: the data source is not what is measured, and its arrays are
// allocated before the RSS baseline.
const PATH = Math.min(BARS, 1_000_000);
const { columns, firstTime: t0Time } = randomWalk(PATH);
const cycleGrowth = columns.close[PATH - 1] / columns.open[0];

/** The bars, one fresh object each, as a data plugin hands them over. */
function* bars() {
  let scale = 1;
  for (let n = 0; n < BARS; n++) {
    const i = n % PATH;
    if (i === 0 && n > 0) scale *= cycleGrowth;
    yield { symbol: 'BTC', timeframe: '1m', time: t0Time + n * 60_000, open: columns.open[i] * scale, high: columns.high[i] * scale, low: columns.low[i] * scale, close: columns.close[i] * scale, volume: columns.volume[i] };
  }
}

/**
 * Peak RSS growth (sampled every 50 ms) over a baseline taken after a full collection, and the heap still in use
 * after another full collection at the end (what the run retains, as opposed to garbage not yet collected).
 */
function rssProbe() {
  globalThis.gc?.();
  const base = process.memoryUsage();
  let peak = base.rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  return () => {
    clearInterval(timer);
    peak = Math.max(peak, process.memoryUsage().rss);
    globalThis.gc?.();
    return { rss: peak - base.rss, retained: process.memoryUsage().heapUsed - base.heapUsed };
  };
}
const memory = (m) => `RSS growth ${(m.rss / 1e6).toFixed(1)} MB, heap retained ${(m.retained / 1e6).toFixed(1)} MB`;

async function pipeline(journalPath) {
  const manager = new PluginManager({ log: () => {} });
  await manager.load(Object.entries(configs).map(([id, [definition, config]]) => ({ plugin: builtIn(id, definition), config })));
  await manager.start();
  const journal = journalPath === undefined ? undefined : Journal.open(journalPath);
  // Opening the journal starts its writer thread: set-up, like loading the plugins, so it is done before the baseline.
  await journal?.ready();
  const detach = journal?.attach(manager.bus, journal.startRun({ label: 'bench', mode: 'backtest', config: {}, startedAt: 0 }));
  // Positions still open at the end stay open, as in the hand-wired loop: the run's per-bar cost is what is measured.
  const engine = new BacktestEngine({ manager, brokerId: 'paper', riskIds: RISKS, strategies: slots, symbols: ['BTC'], capital: CAPITAL, periodsPerYear: PERIODS_PER_YEAR, closeAtEnd: false });
  const rss = rssProbe();
  const t0 = performance.now();
  const result = await engine.run(bars(), new AbortController().signal);
  const seconds = (performance.now() - t0) / 1000;
  const rssGrowth = rss();
  if (process.env.HEAP_SNAPSHOT) (await import('node:v8')).writeHeapSnapshot(process.env.HEAP_SNAPSHOT);
  detach?.();
  journal?.close();
  await manager.shutdown();
  return { seconds, bars: result.bars, trades: result.metrics?.trades ?? 0, equity: result.portfolio.equity, rssGrowth, journalBytes: journalPath === undefined ? undefined : journalBytes(journalPath) };
}

/**
 * The same plugin instances and the same bookkeeping, called straight: what the plugin layer is measured against.
 * It follows the engine's order flow: a signal waits for the next bar, where its order is sized at the open, rounded
 * to the lot, checked for cash (value, fee and the fee of selling again, out of the strategy's free cash) and by the
 * risk plugins, and sent to the broker, which fills it at that open.
 */
async function handWired() {
  const init = (id) => initDirect(configs[id][0], configs[id][1], id);
  const strategies = await Promise.all(STRATEGIES.map(init));
  const risks = await Promise.all(RISKS.map(init));
  const broker = await init('paper');
  const ledger = new Ledger(CAPITAL);
  const sizers = STRATEGIES.map(() => new PositionSizer(sizing));
  const accounts = STRATEGIES.map((id) => ledger.slice(id, toCents(CAPITAL / 3)));
  const account = new RunningMetrics({ periodsPerYear: PERIODS_PER_YEAR });
  const slices = STRATEGIES.map(() => new RunningMetrics({ periodsPerYear: PERIODS_PER_YEAR }));
  // The engine's result keeps its curves thinned to 2,048 points (`keepEquityPoints`), and so does this loop.
  const accountCurve = new EquitySampler(2_048);
  const sliceCurves = STRATEGIES.map(() => new EquitySampler(2_048));
  // Buy and hold of the run's symbol, booked with the account's equity, as the engine's result carries it.
  const benchmark = new BuyAndHold(CAPITAL, ['BTC'], 2_048, { periodsPerYear: PERIODS_PER_YEAR }, (symbol) => ledger.priceOf(symbol));
  // Per strategy, as the engine keeps them: the orders that may still fill, and the signal waiting for the next bar.
  const orderIds = STRATEGIES.map(() => []);
  const pending = STRATEGIES.map(() => undefined);
  const instrument = new InstrumentBook([]).of('BTC');
  let trades = 0;
  let seq = 0;
  let n = 0;
  let time = -Infinity;
  const recordEquity = () => {
    const equity = ledger.equity();
    const exposed = ledger.isExposed();
    account.addPoint(time, equity, exposed);
    accountCurve.add(time, equity, exposed);
    benchmark.record(time);
    for (let s = 0; s < STRATEGIES.length; s++) {
      const slice = accounts[s].equity();
      const sliceExposed = accounts[s].isExposed();
      slices[s].addPoint(time, slice, sliceExposed);
      sliceCurves[s].add(time, slice, sliceExposed);
    }
  };
  /** The risk plugins in order, each seeing the intent as the one before resized it; undefined when denied. */
  const check = (intent, portfolio) => {
    for (const r of risks) {
      const answer = r.checkOrder(intent, portfolio);
      if (answer.action === 'deny' || (answer.action === 'resize' && answer.quantity <= 0)) return undefined;
      if (answer.action === 'resize' && answer.quantity < intent.quantity) intent = { ...intent, quantity: answer.quantity };
    }
    return intent;
  };
  /** A waiting signal becomes an order at this bar's open. */
  const release = (s, signal, bar) => {
    const id = STRATEGIES[s];
    const held = ledger.quantity(id, bar.symbol);
    let intent;
    if (signal.side === 'buy' && held === 0) {
      const { quantity: sized } = sizers[s].size(signal, bar.open, accounts[s].equity(), bar.timeframe);
      const quantity = roundQuantity(sized, instrument);
      if (quantity === 0) return;
      const fill = broker.estimateFill('BTC', 'buy', quantity, bar.open);
      const exitFee = broker.estimateFill('BTC', 'sell', quantity, bar.open).fee;
      if (quantity * fill.price + fill.fee + exitFee + 0.03 > accounts[s].cash()) return;
      intent = { id: `${id}-${++seq}`, symbol: bar.symbol, side: 'buy', quantity, type: 'market', reduceOnly: false, strategyId: id, time: signal.time, referencePrice: bar.open, signal };
      if (signal.stopLoss !== undefined) intent.stopLoss = signal.stopLoss;
      if (signal.takeProfit !== undefined) intent.takeProfit = signal.takeProfit;
    } else if (signal.side !== 'buy' && held > 0) {
      intent = { id: `${id}-${++seq}`, symbol: bar.symbol, side: 'sell', quantity: held, type: 'market', reduceOnly: true, strategyId: id, time: signal.time, referencePrice: bar.open, signal };
    } else return;
    intent = check(intent, ledger.snapshot(bar.time));
    if (intent === undefined) return;
    orderIds[s].push(intent.id);
    broker.submit(intent);
  };
  const rss = rssProbe();
  const t0 = performance.now();
  for (const bar of bars()) {
    n++;
    if (time !== -Infinity) recordEquity();
    time = bar.time;
    for (let s = 0; s < STRATEGIES.length; s++) {
      const signal = pending[s];
      if (signal === undefined) continue;
      pending[s] = undefined;
      release(s, signal, bar);
    }
    for (const fill of broker.onBar(bar) ?? []) {
      const entry = fill.orderId.split(':')[0];
      const s = orderIds.findIndex((ids) => ids.includes(entry));
      if (s < 0) continue;
      const id = STRATEGIES[s];
      const effect = ledger.applyFill(id, fill);
      if (effect.quantityAfter === 0) {
        trades++;
        orderIds[s].length = 0;
      }
      const portfolio = ledger.snapshot(fill.time);
      strategies[s].onFill?.(fill, ledger.positionsOf(id).find((p) => p.symbol === fill.symbol));
      for (const r of risks) r.onFill?.(fill, portfolio);
      const book = portfolio.positions.find((p) => p.symbol === fill.symbol);
      if (effect.quantityBefore === 0 && book !== undefined) for (const r of risks) r.onPositionOpened?.(book, portfolio);
      if (effect.quantityAfter === 0) {
        const closed = { symbol: fill.symbol, quantity: 0, averagePrice: fill.price, marketPrice: fill.price, unrealizedPnl: 0, realizedPnl: effect.realized / 100, openedAt: fill.time, strategyId: id };
        for (const r of risks) r.onPositionClosed?.(closed, portfolio);
      }
    }
    ledger.mark(bar.symbol, bar.close);
    for (const r of risks) r.onBar?.(bar);
    for (let s = 0; s < strategies.length; s++) {
      sizers[s].onBar(bar);
      const signal = strategies[s].onBar(bar);
      if (signal === undefined || signal === null || Array.isArray(signal)) continue;
      // A plain buy while long, or an exit while flat, is one the engine ignores too: it waits for nothing.
      pending[s] = signal.time === undefined ? { ...signal, time: bar.time } : signal;
    }
  }
  recordEquity();
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, bars: n, trades, equity: ledger.equity(), rssGrowth: rss() };
}

/** Only makes the bars: the baseline to subtract when counting what a loop adds per bar (instructions, allocation). */
function barsOnly() {
  const rss = rssProbe();
  const t0 = performance.now();
  let n = 0;
  for (const bar of bars()) if (bar.close > 0) n++;
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, bars: n, trades: 0, equity: CAPITAL, rssGrowth: rss() };
}

const rate = (r) => Math.round(r.bars / r.seconds);
const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const fmt = (x) => x.toLocaleString('en').padStart(10);

/** One run in this process: `wired`, `off` (the engine, journal off) or `on` (journal on). */
async function measure(run) {
  if (run === 'wired') return handWired();
  if (run === 'bars') return barsOnly();
  if (run !== 'off' && run !== 'on') throw new Error(`ONLY: "${run}" is not one of wired, off, on, bars`);
  if (run === 'off') return pipeline(undefined);
  return withJournalFile(pipeline);
}

const result = (run) => inOwnProcess(import.meta.url, run, measure);

if (process.env.BENCH_RUN !== undefined) {
  process.stdout.write(JSON.stringify(await measure(process.env.BENCH_RUN)));
} else {
  console.log(`pipeline: ${BARS.toLocaleString('en')} one-minute bars of one symbol, 3 strategies (${MIX} mix), ${RISKS.map((id) => `risk-${id}`).join(' + ')}, paper broker (Node ${process.version})`);
  const runs = (ONLY ?? 'wired,off,on').split(',');
  const { repeat, fastest, rounds } = await interleavedRounds(runs, result);
  let wired;
  for (const run of runs) {
    const r = fastest.get(run);
    const paired = wired === undefined || repeat === 1 ? '' : ` (median of the ${repeat} rounds' ratios ${median(rounds.get(run).map((s, k) => s / rounds.get('wired')[k])).toFixed(2)}x)`;
    const versus = wired === undefined ? '' : `   ${(r.seconds / wired.seconds).toFixed(2)}x the hand-wired time${paired}`;
    const name = run === 'wired' ? 'hand-wired loop    ' : run === 'bars' ? 'making bars only   ' : `engine, journal ${run === 'on' ? 'on ' : 'off'}`;
    console.log(`  ${name}  ${fmt(rate(r))} bars/s   ${r.seconds.toFixed(2).padStart(6)} s   trades ${r.trades}   final equity ${r.equity.toFixed(2)}   ${memory(r.rssGrowth)}${journalSize(r.journalBytes, r.bars)}${run === 'wired' || run === 'bars' ? '' : versus}`);
    if (run === 'wired') wired = r;
  }
}
