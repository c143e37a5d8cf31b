// Bars per second of a trader's workload: minute bars of several symbols interleaved, one breakout strategy
// trading all of them, against an independent plain loop (bench/plain-loop.mjs: imports nothing from the engine).
// The engine runs without risk plugins, with risk-guards and risk-var (limits that never bind), and with the
// journal on. Every engine run must end with the plain loop's trades and equity to the cent: the benchmark checks
// that and fails otherwise. Prints figures; asserts no speed.
//
//   node --expose-gc bench/breakout.bench.mjs             300,000 bars: 100,000 minutes of three symbols
//   SYMBOLS=1 ...                                         one symbol
//   MIX=calm ...                                          a slow channel (240/120 bars) that seldom trades
//   BARS=3000000 REPEAT=3 ONLY=plain,engine ...           as pipeline.bench.mjs
//   SAME_PROCESS=1 ...                                    every run in this process
//   JOURNAL=/tmp/run.db ...                               the journal-on run writes (and keeps) this file
//   ONLY=bars ...                                         only make the bars (the baseline for instructions a bar)
import { PluginManager } from '@trading-orchestrator/core-manager';
import { BacktestEngine, paperBroker } from '@trading-orchestrator/engine';
import { Journal } from '@trading-orchestrator/journal';
import { riskGuards } from '@trading-orchestrator/risk-guards';
import { varRiskManager } from '@trading-orchestrator/risk-var';
import { breakout } from './breakout-strategy.mjs';
import { initDirect, randomWalk } from './direct.mjs';
import { inOwnProcess, interleavedRounds, journalBytes, journalSize, withJournalFile } from './runs.mjs';
import { plainLoop } from './plain-loop.mjs';

const BARS = Number(process.env.BARS ?? 300_000);
const SYMBOL_COUNT = Number(process.env.SYMBOLS ?? 3);
if (!(Number.isInteger(SYMBOL_COUNT) && SYMBOL_COUNT >= 1 && SYMBOL_COUNT <= 8)) throw new Error(`SYMBOLS: "${process.env.SYMBOLS}" is not a whole number from 1 to 8`);
const MIX = process.env.MIX === 'calm' ? 'calm' : 'active';
const CHANNEL = MIX === 'calm' ? { entry: 240, exit: 120 } : { entry: 20, exit: 10 };
const SYMBOLS = ['AAA', 'BBB', 'CCC', 'DDD', 'EEE', 'FFF', 'GGG', 'HHH'].slice(0, SYMBOL_COUNT);
const CAPITAL = 1_000_000;
// Small enough that a position in every symbol still leaves cash for the next: buying power never binds.
const FRACTION = 0.6 / SYMBOL_COUNT;
const PERIODS_PER_YEAR = 525_600;
// 1 bp a fill: a breakout on a random walk makes nothing before fees, and the account should last the run.
const FEE_BPS = 1;
// Every guard in place, none able to bind on this workload: what checking costs, not what denying changes.
const GUARDS_NEVER_BIND = { circuitBreaker: { maxDrawdownPct: 1, maxDailyLossPct: 1 }, lossStreak: { losses: 1_000_000 } };
const builtIn = (id, definition) => ({ id, kind: definition.kind, version: '1.0.0', packageName: id, packageDir: '.', manifest: undefined, definition });

// One walk per symbol, made before any clock starts; longer runs repeat them rescaled (as pipeline.bench.mjs does).
const MINUTES = Math.ceil(BARS / SYMBOL_COUNT);
const PATH = Math.min(MINUTES, 1_000_000);
const walks = SYMBOLS.map((_, i) => randomWalk(PATH, i + 1));
const t0Time = walks[0].firstTime;

/** The bars, one fresh object each as a data plugin hands them over: at each minute, every symbol in turn. */
function* bars() {
  const scales = SYMBOLS.map(() => 1);
  let n = 0;
  for (let m = 0; m < MINUTES; m++) {
    const i = m % PATH;
    for (let s = 0; s < SYMBOL_COUNT; s++) {
      if (n++ === BARS) return;
      const c = walks[s].columns;
      if (i === 0 && m > 0) scales[s] *= c.close[PATH - 1] / c.open[0];
      const k = scales[s];
      yield { symbol: SYMBOLS[s], timeframe: '1m', time: t0Time + m * 60_000, open: c.open[i] * k, high: c.high[i] * k, low: c.low[i] * k, close: c.close[i] * k, volume: c.volume[i] };
    }
  }
}

function rssProbe() {
  globalThis.gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  return () => {
    clearInterval(timer);
    return Math.max(peak, process.memoryUsage().rss) - base;
  };
}

async function plain() {
  const strategy = await initDirect(breakout, CHANNEL, 'breakout');
  const rss = rssProbe();
  const t0 = performance.now();
  const result = plainLoop(bars(), strategy, { symbols: SYMBOLS, capital: CAPITAL, fraction: FRACTION, feeBps: FEE_BPS, lotSize: 0.000_001, periodsPerYear: PERIODS_PER_YEAR });
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, bars: BARS, trades: result.trades.length, equity: result.equity, rss: rss() };
}

async function engine(risks, journalPath) {
  const plugins = [
    { plugin: builtIn('breakout', breakout), config: CHANNEL },
    { plugin: builtIn('paper', paperBroker), config: { feeBps: FEE_BPS } },
    ...(risks ? [{ plugin: builtIn('guards', riskGuards), config: GUARDS_NEVER_BIND }, { plugin: builtIn('var', varRiskManager), config: { minHistory: 60, maxVarPct: 1, maxPositionWeight: 10, insufficientHistory: 'allow-with-warning' } }] : []),
  ];
  const manager = new PluginManager({ log: () => {} });
  await manager.load(plugins);
  await manager.start();
  const journal = journalPath === undefined ? undefined : Journal.open(journalPath);
  await journal?.ready();
  const detach = journal?.attach(manager.bus, journal.startRun({ label: 'bench', mode: 'backtest', config: {}, startedAt: 0 }));
  const run = new BacktestEngine({
    manager,
    brokerId: 'paper',
    riskIds: risks ? ['guards', 'var'] : [],
    strategies: [{ instanceId: 'breakout', allocation: 1, sizing: { method: 'fixed-fraction', fraction: FRACTION, maxPositionFraction: 1 } }],
    symbols: SYMBOLS,
    capital: CAPITAL,
    periodsPerYear: PERIODS_PER_YEAR,
    closeAtEnd: false,
  });
  const rss = rssProbe();
  const t0 = performance.now();
  const result = await run.run(bars(), new AbortController().signal);
  const seconds = (performance.now() - t0) / 1000;
  const grown = rss();
  detach?.();
  journal?.close();
  await manager.shutdown();
  return { seconds, bars: result.bars, trades: result.metrics?.trades ?? 0, equity: result.portfolio.equity, rss: grown, journalBytes: journalPath === undefined ? undefined : journalBytes(journalPath) };
}

/** Only makes the bars: the baseline to subtract when counting what a loop adds per bar (instructions). */
function barsOnly() {
  const t0 = performance.now();
  let n = 0;
  for (const bar of bars()) if (bar.close > 0) n++;
  return { seconds: (performance.now() - t0) / 1000, bars: n, trades: 0, equity: 0, rss: 0 };
}

async function measure(run) {
  if (run === 'bars') return barsOnly();
  if (run === 'plain') return plain();
  if (run === 'engine') return engine(false);
  if (run === 'risk') return engine(true);
  if (run !== 'journal') throw new Error(`ONLY: "${run}" is not one of plain, engine, risk, journal, bars`);
  return withJournalFile((path) => engine(false, path));
}

const result = (run) => inOwnProcess(import.meta.url, run, measure);

const NAMES = { bars: 'making bars only       ', plain: 'plain loop             ', engine: 'engine                 ', risk: 'engine + guards + VaR  ', journal: 'engine, journal on     ' };

if (process.env.BENCH_RUN !== undefined) {
  process.stdout.write(JSON.stringify(await measure(process.env.BENCH_RUN)));
} else {
  console.log(`breakout: ${BARS.toLocaleString('en')} one-minute bars of ${SYMBOL_COUNT} symbol${SYMBOL_COUNT === 1 ? '' : 's'} interleaved, channel ${CHANNEL.entry}/${CHANNEL.exit} (${MIX}), ${(FRACTION * 100).toFixed(0)}% of equity an entry (Node ${process.version})`);
  const runs = (process.env.ONLY ?? 'plain,engine,risk,journal').split(',');
  const { fastest } = await interleavedRounds(runs, result);
  const base = fastest.get('plain') ?? fastest.get('engine') ?? fastest.get(runs[0]);
  let agree = true;
  for (const run of runs) {
    const r = fastest.get(run);
    const versus = r === base ? '' : `   ${(r.seconds / base.seconds).toFixed(2)}x the ${fastest.has('plain') ? 'plain loop' : 'engine'}`;
    console.log(`  ${NAMES[run]} ${Math.round(r.bars / r.seconds).toLocaleString('en').padStart(10)} bars/s ${r.seconds.toFixed(2).padStart(6)} s   trades ${r.trades}   final equity ${r.equity.toFixed(2)}   RSS growth ${(r.rss / 1e6).toFixed(1)} MB${journalSize(r.journalBytes, r.bars)}${versus}`);
    if (run !== 'bars' && (r.trades !== base.trades || Math.round(r.equity * 100) !== Math.round(base.equity * 100))) agree = false;
  }
  if (!agree) {
    console.error('the runs do not end with the same trades and equity to the cent: the comparison is void');
    process.exitCode = 1;
  }
}
