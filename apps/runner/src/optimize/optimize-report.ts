import { objectiveName } from './objective.js';
import { lineChart, type Series } from '@trading-orchestrator/report';
import type { Dimension } from '@trading-orchestrator/research';
import { GUARD_MEANINGS, formatValues, headingLine, settingsLines, type SweepHeading } from './render-sweep.js';
import type { SweepGuards } from './sweep-guards.js';
import type { FinishedTrial } from './sweep.js';
import type { WalkForwardResult } from './walk-forward.js';

const DAY = 86_400_000;
const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd'];
const esc = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
const pct = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '–' : `${(x * 100).toFixed(2)}%`);
const num = (x: number | undefined, d = 3) => (x === undefined ? '–' : x === Number.POSITIVE_INFINITY ? '∞' : Number.isFinite(x) ? x.toFixed(d) : '–');

/** Blue (worst) to red (best) for a share in [0, 1]. */
const heat = (share: number) => `hsl(${Math.round(230 - 230 * share)}, 70%, ${Math.round(55 - 10 * share)}%)`;

function growth(name: string, color: string, returns: { days: readonly number[]; values: readonly number[] }): Series {
  let equity = 1;
  return { name, color, points: returns.days.map((d, i) => ((equity *= 1 + returns.values[i]!), { time: d * DAY, value: equity - 1 })) };
}

/** Bins of a setting: its grid values when there are few, else up to 12 equal ranges of its internal coordinate. */
function bins(d: Dimension): { count: number; of: (v: unknown) => number; label: (i: number) => string } {
  const grid = d.gridValues();
  if (d.spec.type === 'choice' || grid.length <= 12) {
    const values = d.spec.type === 'choice' ? d.spec.values : grid;
    return { count: values.length, of: (v) => values.indexOf(v as never), label: (i) => String(values[i]) };
  }
  const n = 12;
  const width = (d.high - d.low) / n;
  return { count: n, of: (v) => Math.min(n - 1, Math.floor((d.coordinateOf(v as number) - d.low) / width)), label: (i) => String(d.valueAt(d.low + (i + 0.5) * width)) };
}

/** The best score in each cell of two settings: where the good region is, and how sharp its edges are. */
function heatMap(trials: readonly FinishedTrial[], x: Dimension, y: Dimension, objective: string): string {
  const bx = bins(x);
  const by = bins(y);
  const cells = new Map<string, number>();
  for (const t of trials) {
    if (t.outcome.status !== 'ok') continue;
    const key = `${bx.of(t.values[x.name])},${by.of(t.values[y.name])}`;
    cells.set(key, Math.max(cells.get(key) ?? Number.NEGATIVE_INFINITY, t.outcome.score));
  }
  const scores = [...cells.values()].filter(Number.isFinite);
  const lo = Math.min(...scores);
  const hi = Math.max(...scores);
  const size = Math.max(18, Math.min(48, Math.floor(560 / Math.max(bx.count, by.count))));
  const left = 90;
  const top = 10;
  const rects: string[] = [];
  for (let i = 0; i < bx.count; i++) {
    for (let j = 0; j < by.count; j++) {
      const v = cells.get(`${i},${j}`);
      const fill = v === undefined || !Number.isFinite(v) ? '#eee' : heat(hi > lo ? (v - lo) / (hi - lo) : 1);
      rects.push(`<rect x="${left + i * size}" y="${top + (by.count - 1 - j) * size}" width="${size - 1}" height="${size - 1}" fill="${fill}"><title>${esc(`${x.name}=${bx.label(i)} ${y.name}=${by.label(j)}: ${v === undefined ? 'not tried' : `${objective} ${num(v)}`}`)}</title></rect>`);
    }
  }
  const xLabels = Array.from({ length: bx.count }, (_, i) => `<text x="${left + i * size + size / 2}" y="${top + by.count * size + 14}" text-anchor="middle" font-size="10">${esc(bx.label(i))}</text>`);
  const yLabels = Array.from({ length: by.count }, (_, j) => `<text x="${left - 4}" y="${top + (by.count - 1 - j) * size + size / 2 + 3}" text-anchor="end" font-size="10">${esc(by.label(j))}</text>`);
  const width = left + bx.count * size + 20;
  const height = top + by.count * size + 40;
  return `<figure><figcaption>Best ${esc(objective)} by ${esc(x.name)} (across) and ${esc(y.name)} (up); grey: not tried or no trial met the constraints</figcaption><svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" role="img">${rects.join('')}${xLabels.join('')}${yLabels.join('')}<text x="${left + (bx.count * size) / 2}" y="${height - 4}" text-anchor="middle" font-size="11">${esc(x.name)}</text></svg></figure>`;
}

/** One line per measured trial across an axis per setting, the better ones redder and drawn on top. */
function parallelCoordinates(trials: readonly FinishedTrial[], dims: readonly Dimension[], objective: string): string {
  const ok = trials.filter((t) => t.outcome.status === 'ok' && Number.isFinite(t.outcome.score)).sort((a, b) => a.outcome.score - b.outcome.score);
  if (ok.length === 0) return '';
  const width = 760;
  const height = 280;
  const pad = 40;
  const side = 90;
  const step = (width - 2 * side) / Math.max(1, dims.length - 1);
  const yOf = (d: Dimension, v: unknown) => {
    const share = d.spec.type === 'choice' ? (d.spec.values.indexOf(v as never) + 0.5) / d.spec.values.length : d.high > d.low ? (d.coordinateOf(v as number) - d.low) / (d.high - d.low) : 0.5;
    return height - pad - share * (height - 2 * pad);
  };
  const lo = ok[0]!.outcome.score;
  const hi = ok[ok.length - 1]!.outcome.score;
  const lines = ok.map((t) => {
    const points = dims.map((d, i) => `${(side + i * step).toFixed(1)},${yOf(d, t.values[d.name]).toFixed(1)}`).join(' ');
    return `<polyline points="${points}" fill="none" stroke="${heat(hi > lo ? (t.outcome.score - lo) / (hi - lo) : 1)}" stroke-opacity="0.7"><title>${esc(`#${t.seq + 1} ${objective} ${num(t.outcome.score)}: ${formatValues(t.values)}`)}</title></polyline>`;
  });
  const axes = dims.map((d, i) => {
    const x = side + i * step;
    const [low, high] = d.spec.type === 'choice' ? [String(d.spec.values[0]), String(d.spec.values.at(-1))] : [String(d.spec.min), String(d.spec.max)];
    return `<line x1="${x}" y1="${pad}" x2="${x}" y2="${height - pad}" stroke="#333"/><text x="${x}" y="${pad - 18}" text-anchor="middle" font-size="11">${esc(d.name)}</text><text x="${x}" y="${pad - 5}" text-anchor="middle" font-size="9">${esc(high)}</text><text x="${x}" y="${height - pad + 12}" text-anchor="middle" font-size="9">${esc(low)}</text>`;
  });
  return `<figure><figcaption>Every measured trial across its settings, from blue (worst ${esc(objective)}) to red (best)</figcaption><svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" role="img">${lines.join('')}${axes.join('')}</svg></figure>`;
}

function guardsSection(guards: SweepGuards): string {
  const rows: string[] = [];
  if (guards.deflatedSharpe !== undefined) rows.push(`<tr><th>Deflated Sharpe ratio</th><td>${num(guards.deflatedSharpe.probability)}</td><td>${esc(GUARD_MEANINGS.deflatedSharpe)}; its Sharpe ${num(guards.deflatedSharpe.sharpe, 2)} against ${num(guards.deflatedSharpe.expectedMaxSharpe, 2)} from luck alone over ${guards.trials} trials</td></tr>`);
  if (guards.overfitting !== undefined) rows.push(`<tr><th>Probability of backtest overfitting</th><td>${num(guards.overfitting.probability)}</td><td>${esc(GUARD_MEANINGS.overfitting)}; ${guards.overfitting.splits} splits of ${guards.overfitting.partitions} blocks</td></tr>`);
  return `<h2>Overfitting guards</h2><table>${rows.join('')}</table>${guards.notes.map((n) => `<p>${esc(n)}</p>`).join('')}`;
}

function trialTable(trials: readonly FinishedTrial[], objective: string, limit: number): string {
  const top = trials.filter((t) => t.outcome.status === 'ok').sort((a, b) => b.outcome.score - a.outcome.score).slice(0, limit);
  const rows = top.map((t) => {
    const m = t.outcome.metrics;
    return `<tr><td>${t.seq + 1}</td><td>${num(t.outcome.score)}</td><td>${esc(formatValues(t.values))}</td><td>${pct(m?.totalReturn)}</td><td>${num(m?.sharpe, 2)}</td><td>${pct(m?.maxDrawdown)}</td><td>${m?.trades ?? '–'}</td></tr>`;
  });
  return `<table><tr><th>trial</th><th>${esc(objective)}</th><th>settings</th><th>return</th><th>sharpe</th><th>drawdown</th><th>trades</th></tr>${rows.join('')}</table>`;
}

const STYLE = 'body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;font-size:13px}figure{margin:1em 0}figcaption{font-size:13px;color:#444}';

/** A self-contained HTML page of a sweep or walk-forward analysis: no scripts, inline SVG. */
export function renderSweepReport(input: SweepHeading & ({ trials: readonly FinishedTrial[]; best: FinishedTrial | undefined; guards: SweepGuards } | { walkForward: WalkForwardResult })): string {
  const { optimize, sweep } = input;
  const dims = sweep.space.dimensions;
  const parts: string[] = [`<h1>${esc(headingLine(input))}</h1>`, `<p>${esc(`run file ${input.file}; ${optimize.trials} trials planned, seed ${optimize.seed}; constraints: at least ${optimize.constraints.minTrades} trade${optimize.constraints.minTrades === 1 ? '' : 's'}${optimize.constraints.maxDrawdown === undefined ? '' : `, drawdown at most ${pct(optimize.constraints.maxDrawdown)}`}`)}</p>`];
  if ('trials' in input) {
    const { trials, best, guards } = input;
    if (best !== undefined) parts.push(`<h2>Best: trial ${best.seq + 1}</h2><pre>${esc([formatValues(best.values), ...settingsLines(sweep, best.values)].join('\n'))}</pre>`);
    parts.push(guardsSection(guards));
    if (dims.length >= 2) parts.push(heatMap(trials, dims[0]!, dims[1]!, objectiveName(optimize)));
    if (dims.length >= 2) parts.push(parallelCoordinates(trials, dims, objectiveName(optimize)));
    const leaders = trials.filter((t) => t.outcome.status === 'ok').sort((a, b) => b.outcome.score - a.outcome.score).slice(0, 5);
    if (leaders.length > 0) parts.push(lineChart(leaders.map((t, i) => growth(`#${t.seq + 1}`, COLORS[i]!, t.outcome.returns)), { title: 'Equity of the five best trials', format: (v) => `${(v * 100).toFixed(1)}%` }));
    parts.push('<h2>Top trials</h2>', trialTable(trials, objectiveName(optimize), 25));
  } else {
    const wf = input.walkForward;
    parts.push(lineChart([growth('out of sample, stitched', COLORS[0]!, wf.stitched)], { title: 'Out-of-sample equity, window after window', format: (v) => `${(v * 100).toFixed(1)}%` }));
    parts.push(`<p>${esc(`return ${pct(wf.totalReturn)}, Sharpe ${num(wf.sharpe, 2)}, drawdown ${pct(wf.maxDrawdown)}; walk-forward efficiency ${num(wf.efficiency, 2)}`)}</p>`);
    const day = (t: number) => new Date(t).toISOString().slice(0, 10);
    const rows = wf.windows.map(
      (w) =>
        `<tr><td>${w.window.index + 1}</td><td>${day(w.window.inSample.start)} – ${day(w.window.inSample.end)}</td><td>${esc(w.chosen === undefined ? 'none met the constraints' : formatValues(w.chosen.values))}</td><td>${num(w.chosen?.outcome.score)}</td><td>${num(w.guards.deflatedSharpe?.probability)}</td><td>${num(w.guards.overfitting?.probability)}</td><td>${day(w.window.outOfSample.start)} – ${day(w.window.outOfSample.end)}</td><td>${pct(w.test?.metrics?.totalReturn)}</td><td>${num(w.test?.metrics?.sharpe, 2)}</td></tr>`,
    );
    parts.push(`<h2>Windows</h2><table><tr><th>#</th><th>in sample</th><th>chosen</th><th>${esc(objectiveName(optimize))}</th><th>deflated Sharpe</th><th>PBO</th><th>test</th><th>test return</th><th>test sharpe</th></tr>${rows.join('')}</table>`);
    parts.push(`<p>${esc(`Deflated Sharpe ratio: ${GUARD_MEANINGS.deflatedSharpe}. PBO: ${GUARD_MEANINGS.overfitting}.`)}</p>`);
    parts.push(`<h2>Parameter stability</h2><table><tr><th>setting</th><th>stability</th><th>chosen, window by window</th></tr>${wf.stability.map((s) => `<tr><td>${esc(s.name)}</td><td>${num(s.stability, 2)}</td><td>${esc(s.chosen.join(', '))}</td></tr>`).join('')}</table>`);
  }
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(headingLine(input))}</title><style>${STYLE}</style></head><body>${parts.join('\n')}</body></html>\n`;
}
