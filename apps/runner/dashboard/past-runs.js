// The journal's past runs: a list, and one run's equity and trades when picked.
import { h } from './vendor/preact.js';
import { useEffect, useRef, useState } from './vendor/preact-hooks.js';
import htm from './vendor/htm.js';
import { EquityChart } from './charts.js';
import { api } from './feed.js';

const html = htm.bind(h);
const when = (t) => (typeof t === 'number' ? new Date(t).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '-');
const money = (n) => (typeof n === 'number' && Number.isFinite(n) ? n.toFixed(2) : '-');

function RunReport({ report }) {
  const element = useRef(null);
  useEffect(() => {
    const chart = new EquityChart(element.current);
    chart.show(report.equity);
    return () => chart.remove();
  }, [report]);
  const wins = report.trades.filter((t) => t.pnl > 0).length;
  return html`<div class="report" data-testid="run-report">
    <p>run ${report.run.id} · ${report.run.mode} · ${report.run.status} · ${report.tradeCount} trades${report.tradeCount > 0 ? `, ${wins} of the last ${report.trades.length} won` : ''}</p>
    <div class="chart small" ref=${element}></div>
    <table><tr><th>strategy</th><th>symbol</th><th>side</th><th>entry</th><th>exit</th><th>pnl</th><th>why it closed</th></tr>
      ${report.trades.slice(-50).reverse().map((t) => html`<tr><td>${t.strategyId}</td><td>${t.symbol}</td><td>${t.direction}</td><td>${when(t.entryTime)}</td><td>${when(t.exitTime)}</td><td class=${t.pnl >= 0 ? 'up' : 'down'}>${money(t.pnl)}</td><td>${t.exitReason ?? ''}</td></tr>`)}
    </table></div>`;
}

export function PastRuns({ token }) {
  const [runs, setRuns] = useState(undefined);
  const [report, setReport] = useState(undefined);
  const [problem, setProblem] = useState(undefined);
  const load = () => api(token, 'GET', '/api/runs').then(setRuns, (e) => setProblem(e.message));
  useEffect(() => void load(), []);
  const open = (id) => api(token, 'GET', `/api/runs/${id}`).then(setReport, (e) => setProblem(e.message));
  return html`<section class="wide"><h2>Journal <button onClick=${load}>Refresh</button></h2>
    ${problem && html`<p class="notice">${problem}</p>`}
    ${runs === undefined ? html`<p class="note">loading…</p>` : runs.length === 0 ? html`<p class="note">no journal, or no runs in it</p>` : html`<table data-testid="runs">
      <tr><th>run</th><th>mode</th><th>label</th><th>started</th><th>status</th><th>equity</th><th></th></tr>
      ${runs.slice(0, 30).map((r) => html`<tr><td>${r.id}</td><td>${r.mode}</td><td>${r.label}</td><td>${when(r.startedAt)}</td><td>${r.status}</td><td>${money(r.summary?.equity)}</td><td><button onClick=${() => open(r.id)}>Open</button></td></tr>`)}
    </table>`}
    ${report && html`<${RunReport} report=${report} />`}
  </section>`;
}
