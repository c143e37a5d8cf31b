import type { BacktestResult, PerformanceMetrics } from '@trading-orchestrator/engine';
import { formatTable } from '../format/table.js';

const pct = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '-' : `${(x * 100).toFixed(2)}%`);
const num = (x: number | undefined, digits = 2) => (x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(digits));

function row(name: string, m: PerformanceMetrics | undefined, finalEquity: number, trades: number, denied: number | string): string[] {
  return [name, String(trades), pct(m?.winRate), pct(m?.totalReturn), num(m?.sharpe), pct(m?.maxDrawdown.depth), num(m?.profitFactor), String(denied), finalEquity.toFixed(2)];
}

/** What the run's listeners add to the summary. */
export interface SummaryExtras {
  /** From a `RiskTally`: replace the count of the first denials. */
  readonly riskLines?: readonly string[];
  /** From `PluginTroubles`: failures, refusals and breaker trips by plugin. */
  readonly troubleLines?: readonly string[];
  /** Strategies taken out of the run (disabled, failed), and why: said in their rows. */
  readonly outOfRun?: ReadonlyMap<string, string>;
  /** From a `ShadowSummary`: shadow strategies' signals against the live ones'. */
  readonly shadowLines?: readonly string[];
}

/** The per-strategy summary table printed after a backtest, with buy and hold of the run's symbols below it. */
export function renderBacktest(result: BacktestResult, title: string, extras: SummaryExtras = {}): string {
  const { riskLines, troubleLines, outOfRun, shadowLines } = extras;
  const header = ['STRATEGY', 'TRADES', 'WIN', 'RETURN', 'SHARPE', 'MAX DD', 'PF', 'DENIED', 'EQUITY'];
  const rows = result.strategies.map((s) => row(`${s.instanceId}${s.shadow ? ' (shadow)' : ''}${outOfRun?.has(s.instanceId) === true ? ' (out of the run)' : ''}`, s.metrics, s.finalEquity, s.tradeCount, s.ordersDenied));
  const denied = result.strategies.reduce((n, s) => n + s.ordersDenied, 0);
  rows.push(row('account', result.metrics, result.portfolio.equity, result.metrics?.trades ?? 0, denied));
  const b = result.benchmark;
  // It trades once and is never denied: only its return, Sharpe, drawdown and equity compare.
  if (b?.metrics !== undefined) rows.push(['buy & hold', '-', '-', pct(b.metrics.totalReturn), num(b.metrics.sharpe), pct(b.metrics.maxDrawdown.depth), '-', '-', b.finalEquity.toFixed(2)]);
  const lines = [title, '', formatTable(header, rows), ''];
  if (b?.metrics !== undefined) lines.push(`${b.description}`);
  const p = result.portfolio;
  lines.push(`cash ${p.cash.toFixed(2)}, fees ${p.feesPaid.toFixed(2)}, realised ${p.realizedPnl.toFixed(2)}, unrealised ${p.unrealizedPnl.toFixed(2)}, open positions ${p.positions.length}`);
  const codes = new Map<string, number>();
  for (const d of result.denials) codes.set(`${d.deniedBy}: ${d.code}`, (codes.get(`${d.deniedBy}: ${d.code}`) ?? 0) + 1);
  if (troubleLines !== undefined) lines.push(...troubleLines);
  if (riskLines !== undefined) lines.push(...riskLines);
  else if (codes.size > 0) lines.push(`risk denials: ${[...codes].map(([c, n]) => `${c} ×${n}`).join(', ')}`);
  const ignored = result.strategies.flatMap((s) => Object.entries(s.ignored).map(([code, n]) => `${s.instanceId}: ${code} ×${n}`));
  if (ignored.length > 0) lines.push(`signals not acted on, or cut to what the account allows (the journal has each with its reason): ${ignored.join(', ')}`);
  if (shadowLines !== undefined) lines.push(...shadowLines);
  const atEnd = result.strategies.reduce((n, s) => n + s.trades.filter((t) => t.exitReason === 'end-of-run').length, 0);
  if (atEnd > 0) lines.push(`${atEnd} trade${atEnd === 1 ? ' was' : 's were'} still open after the last bar and closed at its close (closeAtEnd), counted above`);
  if (result.unownedFills > 0) {
    lines.push(`warning: the broker reported ${result.unownedFills} fill${result.unownedFills === 1 ? '' : 's'} of orders this run did not send; they are journaled but not booked, so reconcile the account with the venue`);
  }
  return lines.join('\n');
}
