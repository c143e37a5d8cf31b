import { MIN_ANNUALISED_DAYS, type BacktestResult, type PerformanceMetrics } from '@trading-orchestrator/engine';
import { lineChart, type ChartMarker, type Series } from './svg-chart.js';

export interface ReportMeta {
  readonly title: string;
  /** Lines describing the run (data, period, capital…). */
  readonly details: readonly string[];
  readonly generatedAt?: string;
  /** What went wrong with plugins during the run (failures, refused bars, breaker trips), one line per plugin. */
  readonly problems?: readonly string[];
  /** Each symbol's closes over the run (thinned), for the price charts with the trades marked on them. */
  readonly prices?: readonly { readonly symbol: string; readonly points: readonly { readonly time: number; readonly value: number }[] }[];
  /** The risk plugins' own figures for the account at the end (`portfolioRisk`), or why a plugin gave none. */
  readonly riskFigures?: readonly {
    readonly pluginId: string;
    /** The plugin's `RiskMetrics` (plugin-api), as far as the report shows them. */
    readonly figures?: { readonly valueAtRisk?: number; readonly expectedShortfall?: number; readonly confidence?: number; readonly limits: readonly { readonly name: string; readonly utilisation: number; readonly breached: boolean }[] };
    readonly note?: string;
  }[];
  /** Shadow strategies' signals against the live ones', point by point (same symbol, same time). */
  readonly shadowComparisons?: readonly { readonly shadow: string; readonly live: string; readonly agreed: number; readonly disagreed: number; readonly onlyShadow: number; readonly onlyLive: number }[];
}

/** What closed a trade, in words for the trade list. */
const EXIT_WORDS: Readonly<Record<string, string>> = {
  signal: 'signal',
  reversal: 'reversal',
  'stop-loss': 'stop-loss',
  'take-profit': 'take-profit',
  'trailing-stop': 'trailing stop',
  'time-exit': 'time exit',
  'end-of-run': "the run's end",
};

const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#bcbd22'];
const BENCHMARK_COLOR = '#555555';
const esc = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
const pct = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '–' : `${(x * 100).toFixed(2)}%`);
const num = (x: number | undefined, d = 2) => (x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(d));
const day = (t: number) => new Date(t).toISOString().replace('T', ' ').slice(0, 16);

function drawdownSeries(name: string, color: string, points: readonly { time: number; equity: number }[]): Series {
  let peak = Number.NEGATIVE_INFINITY;
  return { name, color, points: points.map((p) => ((peak = Math.max(peak, p.equity)), { time: p.time, value: -(peak - p.equity) / peak })) };
}

/** A row of the performance table; a benchmark has no trades of its own, so its trade columns are blank. */
function metricsRow(name: string, m: PerformanceMetrics | undefined, equity: number, trades = true): string {
  const tradeCells = trades ? [String(m?.trades ?? 0), pct(m?.winRate), num(m?.profitFactor), num(m?.expectancy)] : ['–', '–', '–', '–'];
  const cells = [name, num(equity), pct(m?.totalReturn), pct(m?.cagr), pct(m?.volatility), num(m?.sharpe), num(m?.sortino), pct(m?.maxDrawdown.depth), num(m?.calmar), ...tradeCells, pct(m?.exposure)];
  return `<tr>${cells.map((c, i) => (i === 0 ? `<th>${esc(c)}</th>` : `<td>${esc(c)}</td>`)).join('')}</tr>`;
}

/** The closest close at or before `time` in a thinned price series (the first, before it starts). */
function priceAt(points: readonly { time: number; value: number }[], time: number): number {
  let lo = 0;
  let hi = points.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (points[mid]!.time <= time) lo = mid;
    else hi = mid - 1;
  }
  return points[lo]!.value;
}

/** Each symbol's closes with every kept trade's entry and exit marked, at most four symbols. */
function priceSection(result: BacktestResult, meta: ReportMeta): string {
  const prices = (meta.prices ?? []).filter((p) => p.points.length > 1).slice(0, 4);
  if (prices.length === 0) return '';
  const charts = prices.map(({ symbol, points }) => {
    const trades = result.strategies.flatMap((s) => s.trades.filter((t) => t.symbol === symbol));
    const markers: ChartMarker[] = trades.flatMap((t) => [
      { time: t.entryTime, value: priceAt(points, t.entryTime), kind: 'entry' as const, label: `${t.strategyId} ${t.direction} entry ${day(t.entryTime)}` },
      { time: t.exitTime, value: priceAt(points, t.exitTime), kind: 'exit' as const, label: `${t.strategyId} ${t.direction} exit ${day(t.exitTime)}: ${t.pnl.toFixed(2)}${t.exitReason === undefined ? '' : ` (${EXIT_WORDS[t.exitReason] ?? t.exitReason})`}` },
    ]);
    return `<h3>${esc(symbol)}</h3>${lineChart([{ name: `${symbol} close`, color: COLORS[0]!, points }], { title: `${symbol} close with trades`, markers, format: (v) => v.toFixed(2) })}`;
  });
  return `<h2>Prices and trades</h2><p class="details">Closes of the run's bars; entries ▲ green, exits ▼ red (the latest trades each strategy kept), at the close of their bar.</p>${charts.join('')}`;
}

/** The risk plugins' figures at the end of the run, and what they denied or cut. */
function riskSection(result: BacktestResult, meta: ReportMeta): string {
  const figures = meta.riskFigures ?? [];
  const denials = new Map<string, number>();
  for (const d of result.denials) denials.set(`${d.deniedBy}\u0000${d.code}`, (denials.get(`${d.deniedBy}\u0000${d.code}`) ?? 0) + 1);
  if (figures.length === 0 && denials.size === 0) return '';
  const money = (x: number | undefined) => (x === undefined ? '–' : x.toFixed(2));
  const rows = figures.map((f) => {
    const m = f.figures;
    const limits = m?.limits.map((l) => `${l.name} ${(l.utilisation * 100).toFixed(0)}%${l.breached ? ' (breached)' : ''}`).join(', ') ?? '';
    return `<tr><th>${esc(f.pluginId)}</th><td>${money(m?.valueAtRisk)}</td><td>${money(m?.expectedShortfall)}</td><td>${m?.confidence === undefined ? '–' : pct(m.confidence)}</td><td>${esc(m === undefined ? (f.note ?? '') : limits)}</td></tr>`;
  });
  const denied = [...denials].map(([k, n]) => {
    const [plugin, code] = k.split('\u0000');
    return `<tr><th>${esc(plugin!)}</th><td>${esc(code!)}</td><td>${n}</td></tr>`;
  });
  return `<h2>Risk</h2>${rows.length === 0 ? '' : `<table id="risk"><tr><th>risk plugin</th><th>VaR</th><th>ES</th><th>confidence</th><th>limits used</th></tr>${rows.join('')}</table><p class="details">Each risk plugin's own figures for the account after the last bar.</p>`}${denied.length === 0 ? '' : `<table id="risk-denials"><tr><th>denied by</th><th>code</th><th>orders</th></tr>${denied.join('')}</table><p class="details">Of the first 1,000 denials.</p>`}`;
}

/** Shadow strategies against the live ones: where their signals agreed, and where only one of them signalled. */
function shadowSection(meta: ReportMeta): string {
  const list = meta.shadowComparisons;
  if (list === undefined || list.length === 0) return '';
  const rows = list.map((c) => `<tr><th>${esc(c.shadow)}</th><td>${esc(c.live)}</td><td>${c.agreed}</td><td>${c.disagreed}</td><td>${c.onlyShadow}</td><td>${c.onlyLive}</td></tr>`);
  return `<h2>Shadow strategies</h2>
<table id="shadow"><tr><th>shadow</th><th>against</th><th>agreed</th><th>disagreed</th><th>only the shadow</th><th>only the live one</th></tr>${rows.join('')}</table>
<p class="details">Signals at the same symbol and time, over the latest 10,000 points of each strategy. A shadow strategy receives the same bars and is never traded.</p>`;
}

/** One self-contained HTML file: no scripts, no external assets; charts are inline SVG. */
export function renderHtmlReport(result: BacktestResult, meta: ReportMeta): string {
  const traded = result.strategies.filter((s) => !s.shadow);
  const accountCurve = result.equity.map((p) => ({ time: p.time, equity: p.equity }));
  // Each curve as its return since the start, so the account and strategies of different sizes share one axis.
  const growth = (points: readonly { time: number; equity: number }[]) => points.map((p) => ({ time: p.time, value: p.equity / points[0]!.equity - 1 }));
  const benchmark = result.benchmark?.metrics === undefined ? undefined : result.benchmark;
  const equityChart = lineChart(
    [
      { name: 'account', color: COLORS[0]!, points: growth(accountCurve) },
      ...traded.map((s, i) => ({ name: s.instanceId, color: COLORS[(i + 1) % COLORS.length]!, points: growth(s.equity) })),
      ...(benchmark === undefined ? [] : [{ name: 'buy & hold', color: BENCHMARK_COLOR, dashed: true, points: growth(benchmark.equity) }]),
    ],
    { title: 'Equity', format: (v) => `${(v * 100).toFixed(1)}%` },
  );
  const drawdownChart = lineChart(
    [
      drawdownSeries('account', COLORS[0]!, accountCurve),
      ...traded.map((s, i) => drawdownSeries(s.instanceId, COLORS[(i + 1) % COLORS.length]!, s.equity)),
      ...(benchmark === undefined ? [] : [{ ...drawdownSeries('buy & hold', BENCHMARK_COLOR, benchmark.equity), dashed: true }]),
    ],
    { title: 'Drawdown', area: true, format: (v) => `${(v * 100).toFixed(1)}%` },
  );
  const tradeCount = traded.reduce((n, s) => n + s.tradeCount, 0);
  const trades = traded.flatMap((s) => s.trades).sort((a, b) => a.exitTime - b.exitTime || (a.strategyId < b.strategyId ? -1 : 1));
  const tradeRows = trades
    .map((t) => `<tr class="${t.pnl >= 0 ? 'win' : 'loss'}${t.exitReason === 'end-of-run' ? ' at-end' : ''}"><td>${esc(t.strategyId)}</td><td>${esc(t.symbol)}</td><td>${t.direction}</td><td>${num(t.quantity, 6)}</td><td>${day(t.entryTime)}</td><td>${day(t.exitTime)}</td><td>${num(t.pnl)}</td><td>${num(t.fees)}</td><td>${esc(EXIT_WORDS[t.exitReason ?? ''] ?? '–')}</td></tr>`)
    .join('');
  const closedAtEnd = trades.filter((t) => t.exitReason === 'end-of-run').length;
  const ignoredRows = result.strategies
    .flatMap((s) => Object.entries(s.ignored).map(([code, n]) => `<tr><td>${esc(s.instanceId)}</td><td>${esc(code)}</td><td>${n}</td></tr>`))
    .join('');
  const denialRows = result.denials.map((d) => `<tr><td>${day(d.time)}</td><td>${esc(d.strategyId)}</td><td>${esc(d.symbol)}</td><td>${esc(d.deniedBy)}</td><td>${esc(d.code)}</td><td>${esc(d.message)}</td></tr>`).join('');
  const denied = result.strategies.reduce((n, s) => n + s.ordersDenied, 0);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(meta.title)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222}h1{font-size:22px}h2{font-size:17px;margin-top:28px}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}th{text-align:left;background:#f4f4f4}
tr.win td:nth-child(7){color:#2a7}tr.loss td:nth-child(7){color:#c33}tr.at-end td:nth-child(9){font-style:italic}.chart text{font:11px system-ui,sans-serif;fill:#555}
.details{color:#555}.scroll{max-height:480px;overflow:auto}
</style></head><body>
<h1>${esc(meta.title)}</h1>
<p class="details">${meta.details.map(esc).join('<br>')}${meta.generatedAt === undefined ? '' : `<br>generated ${esc(meta.generatedAt)}`}</p>
${meta.problems === undefined || meta.problems.length === 0 ? '' : `<h2>Plugin problems</h2>
<ul id="problems">${meta.problems.map((p) => `<li>${esc(p)}</li>`).join('')}</ul>
<p class="details">The journal has each failure and refusal (its plugin_events table).</p>`}
${shadowSection(meta)}
<h2>Equity (return since the start)</h2>${equityChart}
${priceSection(result, meta)}
${riskSection(result, meta)}
<h2>Drawdown</h2>${drawdownChart}
<h2>Performance</h2>
<table id="metrics"><tr><th>strategy</th><th>equity</th><th>return</th><th>CAGR</th><th>volatility</th><th>Sharpe</th><th>Sortino</th><th>max DD</th><th>Calmar</th><th>trades</th><th>win rate</th><th>profit factor</th><th>expectancy</th><th>exposure</th></tr>
${traded.map((s) => metricsRow(s.instanceId, s.metrics, s.finalEquity)).join('\n')}
${metricsRow('account', result.metrics, result.portfolio.equity)}
${benchmark === undefined ? '' : metricsRow('buy & hold', benchmark.metrics, benchmark.finalEquity, false)}</table>
<p class="details">Sharpe and Sortino use ${result.metrics?.periodsPerYear.toFixed(0) ?? '–'} periods a year and a ${pct(result.metrics?.riskFreeRate)} risk-free rate. CAGR and Calmar are given for runs of at least ${MIN_ANNUALISED_DAYS} days (a shorter return raised to a yearly power means nothing). Fees paid ${num(result.portfolio.feesPaid)}, ${result.bars} bars.${benchmark === undefined ? '' : ` The dashed line: ${esc(benchmark.description)}.`}</p>
<h2>Trades (${tradeCount}${trades.length < tradeCount ? `, the latest ${trades.length} listed; the journal has them all` : ''})</h2>
${closedAtEnd === 0 ? '' : `<p class="details">${closedAtEnd} trade${closedAtEnd === 1 ? ' was' : 's were'} still open after the last bar and closed at its close to be counted (marked <em>closed by the run's end</em>).</p>`}
<div class="scroll"><table id="trades"><tr><th>strategy</th><th>symbol</th><th>direction</th><th>quantity</th><th>entry</th><th>exit</th><th>P&amp;L</th><th>fees</th><th>closed by</th></tr>${tradeRows}</table></div>
${ignoredRows === '' ? '' : `<h2>Signals not acted on</h2>
<p class="details">Each with its reason in the journal (<code>journal export &lt;run&gt; --what ignored</code>).</p>
<table id="ignored"><tr><th>strategy</th><th>reason</th><th>signals</th></tr>${ignoredRows}</table>`}
<h2>Risk denials (${denied}${result.denials.length < denied ? `, first ${result.denials.length} listed` : ''})</h2>
<div class="scroll"><table id="denials"><tr><th>time</th><th>strategy</th><th>symbol</th><th>plugin</th><th>code</th><th>message</th></tr>${denialRows}</table></div>
</body></html>
`;
}
