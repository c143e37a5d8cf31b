// The dashboard of a running session. Preact + htm: components without a build step, about 5 KB together, so the
// runner ships the page as it is written and a user can read what runs in their browser.
import { h, render } from './vendor/preact.js';
import { useEffect, useRef } from './vendor/preact-hooks.js';
import htm from './vendor/htm.js';
import { CandleChart, EquityChart } from './charts.js';
import { api, follow, forgetToken, takeToken } from './feed.js';
import { PastRuns } from './past-runs.js';

const html = htm.bind(h);
const RECENT = 30;
const MAX_BARS = 500;

/** Everything shown, kept from the feed; views read it, and one render a frame draws what changed. */
const store = {
  connection: 'connecting',
  status: undefined,
  candles: {},
  fills: [],
  equity: [],
  positions: new Map(),
  orders: new Map(),
  signals: [],
  denials: [],
  health: new Map(),
  risk: [],
  panels: [],
  actions: {},
  symbol: undefined,
  notice: undefined,
  /** The latest message of each topic, handed to a panel's frame when it loads. */
  latest: new Map(),
};
const charts = { candles: undefined, equity: undefined };
const frames = new Map();

/** Figures a benchmark or a curious user can read: when data first showed, and each update's delay in ms. */
const metrics = (window.dashboardMetrics = { firstData: undefined, updates: 0, latencies: [] });

const keep = (list, item) => {
  list.push(item);
  if (list.length > RECENT) list.shift();
};
const money = (n) => (typeof n === 'number' && Number.isFinite(n) ? n.toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 }) : '-');
const when = (t) => (typeof t === 'number' ? new Date(t).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '-');

function apply(message) {
  const { topic, data } = message;
  store.latest.set(topic, message);
  switch (topic) {
    case 'snapshot':
      store.status = data.status;
      store.candles = data.candles;
      store.fills = data.fills;
      store.equity = data.equity;
      store.positions = new Map(data.positions.map((p) => [p.symbol, p]));
      store.orders = new Map(data.orders.map((o) => [o.id, o]));
      store.signals = data.signals.slice(-RECENT);
      store.denials = data.denials.slice(-RECENT);
      store.health = new Map(data.health.map((s) => [s.pluginId, s]));
      store.panels = data.panels;
      store.actions = data.actions;
      store.symbol ??= Object.keys(data.candles)[0];
      charts.equity?.show(store.equity);
      showCandles();
      break;
    case 'bar': {
      const bars = (store.candles[data.symbol] ??= []);
      bars.push(data);
      if (bars.length > MAX_BARS) bars.shift();
      store.symbol ??= data.symbol;
      if (store.status !== undefined) {
        store.status.bars++;
        store.status.lastBarTime = Math.max(store.status.lastBarTime ?? data.time, data.time);
      }
      if (data.symbol === store.symbol) charts.candles?.addBar(data);
      break;
    }
    case 'equity':
      if (store.status !== undefined) store.status.equity = data.equity;
      store.equity.push(data);
      if (store.equity.length > 2_000) store.equity.shift();
      charts.equity?.add(data);
      break;
    case 'fill':
      store.fills.push(data);
      if (store.fills.length > 200) store.fills.shift();
      if (data.symbol === store.symbol) charts.candles?.setFills(store.fills.filter((f) => f.symbol === store.symbol));
      break;
    case 'position':
      if (data.quantity === 0) store.positions.delete(data.symbol);
      else store.positions.set(data.symbol, data);
      if (store.status !== undefined) store.status.positions = store.positions.size;
      break;
    case 'order':
      if (['new', 'accepted', 'partially_filled'].includes(data.status)) store.orders.set(data.id, data);
      else store.orders.delete(data.id);
      break;
    case 'signal':
      keep(store.signals, { time: data.signal.time, strategyId: data.strategyId, signal: data.signal, shadow: data.shadow });
      break;
    case 'denial':
      keep(store.denials, data);
      break;
    case 'health':
      store.health.set(data.pluginId, { ...store.health.get(data.pluginId), pluginId: data.pluginId, status: data.report.status, message: data.report.message, lastCheck: data.time });
      break;
    case 'plugins':
      if (store.status !== undefined) store.status.plugins = data;
      break;
    case 'risk-figures':
      store.risk = data;
      break;
    case 'control':
      if (store.status !== undefined && (data.action === 'halt' || data.action === 'flatten')) store.status.halted = true;
      if (store.status !== undefined && data.action === 'resume') store.status.halted = false;
      store.notice = `${data.action}${data.target ? ` ${data.target}` : ''} (${data.origin})`;
      break;
  }
  for (const panel of store.panels) if (panel.topics.includes(topic)) frames.get(panel.id)?.contentWindow?.postMessage(message, '*');
}

function showCandles() {
  if (charts.candles === undefined || store.symbol === undefined) return;
  charts.candles.show(store.candles[store.symbol] ?? [], store.fills.filter((f) => f.symbol === store.symbol));
}

let token = takeToken();
let queued = [];
let frame = 0;

function receive(message) {
  queued.push(message);
  if (frame === 0) frame = requestAnimationFrame(draw);
}

/** One render a frame, whatever the number of messages in it; each message's delay is measured after it. */
function draw() {
  frame = 0;
  const batch = queued;
  queued = [];
  for (const message of batch) apply(message);
  redraw();
  const now = Date.now();
  for (const message of batch) {
    if (message.topic === 'snapshot') metrics.firstData ??= performance.now();
    metrics.updates++;
    metrics.latencies.push(now - message.time);
    if (metrics.latencies.length > 5_000) metrics.latencies.shift();
  }
}

function redraw() {
  render(html`<${App} />`, document.getElementById('app'));
}

async function act(method, path, confirmText) {
  if (confirmText !== undefined && !confirm(confirmText)) return;
  try {
    const answer = await api(token, method, path);
    store.notice = `${path.split('/').slice(-2).join(' ')}: ${answer.state ?? (answer.halted === undefined ? 'done' : answer.halted ? 'entries halted' : 'entries allowed')}`;
    if (answer.id !== undefined && answer.state !== undefined && store.status !== undefined) {
      store.status.plugins = store.status.plugins.map((p) => (p.id === answer.id ? { ...p, state: answer.state } : p));
    }
  } catch (error) {
    store.notice = `refused: ${error.message}`;
  }
  redraw();
}

function ChartBox({ make, slot, className }) {
  const element = useRef(null);
  useEffect(() => {
    charts[slot] = make(element.current);
    if (slot === 'equity') charts.equity.show(store.equity);
    else showCandles();
    return () => {
      charts[slot].remove();
      charts[slot] = undefined;
    };
  }, []);
  return html`<div class=${className} ref=${element}></div>`;
}

function Header({ s }) {
  return html`<header>
    <h1>trading-orchestrator <span class="mode">${s.mode}</span></h1>
    <span class=${`conn ${store.connection}`} data-testid="connection">${store.connection}</span>
    <span>bars <b data-testid="bars">${s.bars}</b></span>
    <span>last ${when(s.lastBarTime)}</span>
    <span>equity <b data-testid="equity">${money(s.equity)}</b></span>
    <span class=${s.halted ? 'badge halted' : 'badge'} data-testid="entries">${s.halted ? `entries halted` : 'entries allowed'}</span>
    ${store.actions.readOnly ? html`<span class="note">read-only</span>` : html`<nav>
      ${s.halted ? html`<button onClick=${() => act('POST', '/api/resume')}>Resume entries</button>` : html`<button onClick=${() => act('POST', '/api/halt')}>Halt entries</button>`}
      ${store.actions.flatten && html`<button class="danger" onClick=${() => act('POST', '/api/flatten', 'Close every position and cancel working orders?')}>Flatten</button>`}
      <button class="danger" onClick=${() => act('POST', '/api/stop', 'Stop the session after the bar in progress?')}>Stop</button>
    </nav>`}
  </header>`;
}

function Plugins({ plugins }) {
  return html`<section><h2>Plugins</h2><table data-testid="plugins">
    <tr><th>id</th><th>kind</th><th>state</th><th>health</th><th>failures</th><th></th></tr>
    ${plugins.map((p) => {
      const health = store.health.get(p.id);
      const core = p.kind === 'data' || p.kind === 'broker' || p.id === 'control-halt' || store.actions.readOnly;
      return html`<tr data-plugin=${p.id}>
        <td>${p.id}</td><td>${p.kind}</td><td class=${`state ${p.state}`}>${p.state}</td>
        <td class=${health === undefined ? '' : `health ${health.status}`} title=${health?.message ?? ''}>${health === undefined ? '-' : health.status}</td>
        <td title=${p.failure ?? ''}>${p.failures}</td>
        <td>${!core && (p.state === 'disabled' ? html`<button onClick=${() => act('POST', `/api/plugins/${encodeURIComponent(p.id)}/enable`)}>Enable</button>` : html`<button onClick=${() => act('POST', `/api/plugins/${encodeURIComponent(p.id)}/disable`)}>Disable</button>`)}
          ${!core && store.actions.reload && html`<button onClick=${() => act('POST', `/api/plugins/${encodeURIComponent(p.id)}/reload`)}>Reload</button>`}</td>
      </tr>`;
    })}
  </table></section>`;
}

function Positions() {
  const rows = [...store.positions.values()];
  return html`<section><h2>Positions</h2>${rows.length === 0 ? html`<p class="note">none open</p>` : html`<table data-testid="positions">
    <tr><th>symbol</th><th>quantity</th><th>entry</th><th>mark</th><th>unrealised</th></tr>
    ${rows.map((p) => html`<tr><td>${p.symbol}</td><td>${p.quantity}</td><td>${money(p.averagePrice)}</td><td>${money(p.marketPrice)}</td><td class=${(p.unrealizedPnl ?? 0) >= 0 ? 'up' : 'down'}>${money(p.unrealizedPnl)}</td></tr>`)}
  </table>`}</section>`;
}

function Orders() {
  const rows = [...store.orders.values()];
  return html`<section><h2>Working orders</h2>${rows.length === 0 ? html`<p class="note">none working</p>` : html`<table data-testid="orders">
    <tr><th>symbol</th><th>side</th><th>type</th><th>quantity</th><th>filled</th><th>limit</th><th>stop</th><th>target</th><th>status</th></tr>
    ${rows.map((o) => html`<tr><td>${o.symbol}</td><td>${o.side}</td><td>${o.type}</td><td>${o.quantity}</td><td>${o.filledQuantity}</td><td>${money(o.limitPrice)}</td><td>${money(o.stopLoss)}</td><td>${money(o.takeProfit)}</td><td>${o.status}</td></tr>`)}
  </table>`}</section>`;
}

function Risk() {
  return html`<section><h2>Risk</h2>${store.risk.length === 0 ? html`<p class="note">no figures yet (they come with the next bar)</p>` : store.risk.map((r) => html`<div class="risk" data-testid="risk">
    <h3>${r.pluginId}</h3>
    ${r.figures === undefined ? html`<p class="note">${r.note}</p>` : html`
      <p>${r.figures.valueAtRisk === undefined ? '' : `VaR ${money(r.figures.valueAtRisk)}`} ${r.figures.expectedShortfall === undefined ? '' : ` · ES ${money(r.figures.expectedShortfall)}`}</p>
      ${r.figures.limits.map((l) => html`<div class="limit"><span>${l.name}</span><span class="bar"><i class=${l.breached ? 'breached' : ''} style=${`width:${Math.min(100, Math.max(0, l.utilisation * 100)).toFixed(1)}%`}></i></span><span>${(l.utilisation * 100).toFixed(0)}%</span></div>`)}`}
  </div>`)}</section>`;
}

function Activity() {
  return html`<section class="activity"><div><h2>Signals</h2><ul>${store.signals.slice().reverse().map((s) => html`<li>${when(s.time)} ${s.strategyId}${s.shadow ? ' (shadow)' : ''}: ${s.signal.side} ${s.signal.symbol}${s.signal.reason ? ` — ${s.signal.reason}` : ''}</li>`)}</ul></div>
    <div><h2>Denials</h2><ul>${store.denials.slice().reverse().map((d) => html`<li>${when(d.time)} ${d.strategyId} ${d.symbol}: ${d.deniedBy} ${d.code} ${d.message}</li>`)}</ul></div></section>`;
}

function Panel({ panel }) {
  const onLoad = (event) => {
    frames.set(panel.id, event.currentTarget);
    for (const topic of panel.topics) {
      const last = store.latest.get(topic);
      if (last !== undefined) event.currentTarget.contentWindow.postMessage(last, '*');
    }
  };
  return html`<section class="panel"><h2>${panel.title} <small>${panel.id} ${panel.version}</small></h2>
    <iframe sandbox="allow-scripts" src=${`/panels/${panel.id}/frame`} title=${panel.title} style=${`height:${panel.height}px`} onLoad=${onLoad} data-panel=${panel.id}></iframe></section>`;
}

function App() {
  const s = store.status;
  if (token === null) return html`<p class="note">No session token. Open the link the session printed, or run <code>trading-orchestrator ctl dashboard --config your-run.yaml</code> for it.</p>`;
  if (store.connection === 'refused') return html`<p class="note">The session refused this dashboard's token (it belongs to another session?). Open the link from <code>trading-orchestrator ctl dashboard</code>.</p>`;
  if (s === undefined) return html`<p class="note">Connecting to the session…</p>`;
  const symbols = Object.keys(store.candles);
  return html`<${Header} s=${s} />
    ${store.notice && html`<p class="notice" data-testid="notice">${store.notice}</p>`}
    <main>
      <section class="wide"><h2>Price ${symbols.map((sym) => html`<button class=${sym === store.symbol ? 'tab on' : 'tab'} onClick=${() => { store.symbol = sym; showCandles(); redraw(); }}>${sym}</button>`)}</h2><${ChartBox} slot="candles" className="chart" make=${(e) => new CandleChart(e)} /></section>
      <section class="wide"><h2>Equity and drawdown</h2><${ChartBox} slot="equity" className="chart small" make=${(e) => new EquityChart(e)} /></section>
      <${Positions} />
      <${Orders} />
      <${Risk} />
      <${Plugins} plugins=${s.plugins} />
      <${Activity} />
      ${store.panels.map((p) => html`<${Panel} key=${p.id} panel=${p} />`)}
      <${PastRuns} token=${token} />
    </main>`;
}

redraw();
if (token !== null) {
  follow(token, receive, (state) => {
    store.connection = state;
    if (state === 'refused') forgetToken();
    redraw();
  });
}
