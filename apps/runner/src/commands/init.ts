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
warmupBars: 200            # bars that only warm strategies up
capital: 100000
currency: USD
allowShort: false
# periodsPerYear: 252      # set for daily equities; the default assumes trading around the clock

strategies:                # each an installed strategy plugin; allocations add up to at most 1
  - plugin: ma-crossover
    config: { fast: 20, slow: 50 }
    sizing: { method: fixed-fraction, fraction: 0.5 }
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
  config: { feeBps: 10, slippage: { bps: 2 } }

# journal: runs/journal.db   # relative to this file; default trading-orchestrator.db here; false for none
# report: runs/report.html   # likewise; default trading-orchestrator-report.html
`;

/** Writes the starter file; refuses to overwrite unless forced. Returns the message to print. */
export function writeStarterRun(path: string, force: boolean): { ok: boolean; message: string } {
  if (existsSync(path) && !force) return { ok: false, message: `${path} already exists; pass --force to overwrite it` };
  writeFileSync(path, STARTER_RUN);
  return { ok: true, message: `wrote ${path}; run it with: trading-orchestrator backtest --config ${path}` };
}
