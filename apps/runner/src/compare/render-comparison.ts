import { formatTable } from '../format/table.js';
import type { ComparisonSummary, Execution, Pairing } from './fill-comparison.js';

const time = (t: number) => new Date(t).toISOString().replace('.000Z', 'Z');
const num = (x: number | undefined, digits = 2) => (x === undefined ? '-' : x.toFixed(digits));
const qty = (e: Execution | undefined) => (e === undefined ? '-' : String(Number(e.quantity.toPrecision(8))));

/** The comparison as a person reads it: a header, one row per execution, and what it adds up to. */
export function renderComparison(title: string, pairings: readonly Pairing[], summary: ComparisonSummary, currency: string): string {
  const rows = pairings.map((p) => {
    const e = (p.session ?? p.backtest)!;
    return [
      time(e.time),
      e.strategyId,
      e.symbol,
      e.side,
      qty(p.session),
      qty(p.backtest),
      num(p.session?.price, 4),
      num(p.backtest?.price, 4),
      p.priceBps === undefined ? (p.session === undefined ? 'only in the backtest' : 'only in the session') : num(p.priceBps, 1),
      p.session !== undefined && p.backtest !== undefined ? num(p.session.fee - p.backtest.fee, 4) : '-',
    ];
  });
  const lines = [title, ''];
  lines.push(rows.length === 0 ? 'neither the session nor the backtest filled anything' : formatTable(['TIME', 'STRATEGY', 'SYMBOL', 'SIDE', 'QTY SESSION', 'QTY BACKTEST', 'PRICE SESSION', 'PRICE BACKTEST', 'WORSE BY (BPS)', 'FEE DIFF'], rows));
  lines.push('');
  const worse = summary.meanPriceBps === undefined ? '' : `; on those the session's prices were ${Math.abs(summary.meanPriceBps).toFixed(1)} bps ${summary.meanPriceBps >= 0 ? 'worse' : 'better'} on average (${num(Math.abs(summary.priceCost))} ${currency} ${summary.priceCost >= 0 ? 'lost' : 'gained'}), and its fees ${num(Math.abs(summary.feeDifference))} ${currency} ${summary.feeDifference >= 0 ? 'higher' : 'lower'}`;
  lines.push(`${summary.matched} execution${summary.matched === 1 ? '' : 's'} in both, ${summary.onlyInSession} only in the session, ${summary.onlyInBacktest} only in the backtest${worse}.`);
  return `${lines.join('\n')}\n`;
}
