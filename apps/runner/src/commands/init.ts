import { existsSync, writeFileSync } from 'node:fs';

/** The starter run file `init` writes: the default job, spelled out and commented. */
export const STARTER_RUN = `# trading-orchestrator run file. Run it with: trading-orchestrator backtest --config run.yaml
# Every field is described in docs/config-reference.md. \${VAR} and \${VAR:-default} read the environment.

# Where bars come from: any installed data plugin. data-synthetic needs no network; data-file reads CSV/JSON.
data:
  plugin: data-synthetic
  config:
    seed: \${SEED:-1}

symbols: [ALPHA, BETA, GAMMA]
timeframe: 1h
start: 2020-01-01          # inclusive, UTC
end: 2020-09-27            # exclusive
warmupBars: 200            # bars of each symbol that only warm strategies up
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
# periodsPerYear: 252      # set for daily equities; the default assumes trading around the clock

strategies:                # each an installed strategy plugin; allocations add up to at most 1 (default: equal shares)
  - plugin: ma-crossover
    config: { fast: 20, slow: 50 }
    # sized at the open it fills on (price: next-open, the default; or signal-close), capped at 1 x its equity
    sizing: { method: fixed-fraction, fraction: 0.5, maxPositionFraction: 1, price: next-open }
    pyramiding: 0          # adds a repeated buy may make to an open long (0: one entry per position)
    # timeframes: [4h]       # trade on four-hour bars built from the hourly ones
  - plugin: rsi-mean-reversion
    sizing: { method: volatility-target, riskFraction: 0.01, maxPositionFraction: 0.6 }
  - plugin: bollinger-reversion
    sizing: { method: strategy-hint, defaultFraction: 0.2 }
    # shadow: true         # record its signals without trading them

risk:                      # asked in this order; any deny rejects the order
  - plugin: risk-guards
  - plugin: risk-var
    config: { minHistory: 100, maxVarPct: 0.03, maxPositionWeight: 0.4 }

broker:                    # the built-in paper broker: fills at the next bar's open
  config: { feeBps: 10, slippage: { bps: 2 } }   # defaults: feeBps 10, minFee 0, slippage 0

# journal: runs/journal.db   # relative to this file; default trading-orchestrator.db here; false for none
# report: runs/report.html   # likewise; default trading-orchestrator-report.html
`;

/** Writes the starter file; refuses to overwrite unless forced. Returns the message to print. */
export function writeStarterRun(path: string, force: boolean): { ok: boolean; message: string } {
  if (existsSync(path) && !force) return { ok: false, message: `${path} already exists; pass --force to overwrite it` };
  writeFileSync(path, STARTER_RUN);
  return { ok: true, message: `wrote ${path}; run it with: trading-orchestrator backtest --config ${path}` };
}
