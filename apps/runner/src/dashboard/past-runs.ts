import type { Journal } from '@trading-orchestrator/journal';

/** At most this many equity points of a past run are sent: enough for a chart, whatever the run's length. */
const EQUITY_POINTS = 1_000;
const TRADES = 500;

/** The journal's runs, newest first, for the dashboard's list. */
export function pastRuns(journal: Journal): unknown[] {
  return journal
    .listRuns()
    .reverse()
    .map((r) => ({ id: r.id, label: r.label, mode: r.mode, startedAt: r.startedAt, endedAt: r.endedAt, status: r.status, summary: r.summary }));
}

/** One run's report for the dashboard: its account equity (evenly thinned), its latest trades and its summary. */
export function pastRun(journal: Journal, runId: number): unknown {
  const run = journal.listRuns().find((r) => r.id === runId);
  if (run === undefined) return undefined;
  const equity = journal.equity(runId);
  const every = Math.max(1, Math.ceil(equity.length / EQUITY_POINTS));
  const thinned = equity.filter((_, i) => i % every === 0 || i === equity.length - 1).map((e) => ({ time: e.time, equity: e.equity }));
  const trades = journal.trades(runId);
  return { run, equity: thinned, trades: trades.slice(-TRADES), tradeCount: trades.length };
}
