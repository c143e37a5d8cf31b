import { EventBus, type PluginManager } from '@trading-orchestrator/core-manager';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { PANEL_FRAME_POLICY } from '../dashboard/panel-frame.js';
import { startControlServer, type ControlServer } from './control-server.js';
import { HaltSwitch } from './halt-switch.js';
import { ShadowSummary } from '../format/shadow-summary.js';
import { SessionView } from './session-view.js';

/** A session with one strategy and one data plugin, as the control API sees it. */
function session() {
  const states = new Map([
    ['ma-crossover', { kind: 'strategy', state: 'active' }],
    ['data-binance', { kind: 'data', state: 'active' }],
  ]);
  const manager = {
    status: () => [...states].map(([id, p]) => ({ id, kind: p.kind, state: p.state, failures: 0 })),
    get: (id: string) => (states.has(id) ? { kind: states.get(id)!.kind, machine: { state: states.get(id)!.state } } : undefined),
    disable: async (id: string) => void (states.get(id)!.state = 'disabled'),
    enable: async (id: string) => void (states.get(id)!.state = 'active'),
  } as unknown as PluginManager;
  const bus = new EventBus();
  const actions: string[] = [];
  bus.subscribe('control', (e) => actions.push(`${e.action}${e.target === undefined ? '' : ` ${e.target}`} (${e.origin})`));
  let stopped = false;
  const halt = new HaltSwitch();
  return { manager, bus, actions, halt, stopped: () => stopped, controlled: { mode: 'paper', manager, bus, view: new SessionView(new ShadowSummary()), halt, stop: () => void (stopped = true), now: () => 1_700_000_000_000 } };
}

let server: ControlServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const call = (path: string, init: RequestInit & { token?: string | null } = {}) => {
  const headers = new Headers(init.headers);
  if (init.token !== null) headers.set('authorization', `Bearer ${init.token ?? server!.token}`);
  return fetch(`${server!.url}${path}`, { ...init, headers });
};

describe('the control API', () => {
  it('answers the session\'s token only, and names what is wrong otherwise', async () => {
    const s = session();
    server = await startControlServer(s.controlled, { host: '127.0.0.1', port: 0 });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await call('/api/status', { token: null })).status).toBe(401);
    expect((await call('/api/status', { token: 'f'.repeat(48) })).status).toBe(401);
    const inQuery = await call(`/api/status?token=${server.token}`, { token: null });
    expect(inQuery.status).toBe(400);
    expect(((await inQuery.json()) as { error: string }).error).toContain('a token in the URL is refused');
    // A web page the user has open cannot drive the session through the browser, even with the token.
    const crossOrigin = await call('/api/halt', { method: 'POST', headers: { origin: 'https://evil.example' } });
    expect(crossOrigin.status).toBe(403);
    expect(s.halt.halted).toBe(false);
    const ok = await call('/api/status');
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ mode: 'paper', bars: 0, halted: false, plugins: [{ id: 'ma-crossover', state: 'active' }, { id: 'data-binance' }] });
    expect((await call('/api/nothing')).status).toBe(404);
    expect(s.actions).toEqual([]);
  });

  it('halts and resumes entries, disables and enables a plugin, and stops the session, publishing each action with its origin', async () => {
    const s = session();
    server = await startControlServer(s.controlled, { host: '127.0.0.1', port: 0 });
    expect(await (await call('/api/halt', { method: 'POST' })).json()).toEqual({ halted: true });
    expect(s.halt.halted).toBe(true);
    expect(await (await call('/api/status')).json()).toMatchObject({ halted: true, haltedBecause: 'halted by control API from 127.0.0.1' });
    await call('/api/resume', { method: 'POST' });
    expect(s.halt.halted).toBe(false);
    expect(await (await call('/api/plugins/ma-crossover/disable', { method: 'POST' })).json()).toEqual({ id: 'ma-crossover', state: 'disabled' });
    await call('/api/plugins/ma-crossover/enable', { method: 'POST' });
    const data = await call('/api/plugins/data-binance/disable', { method: 'POST' });
    expect(data.status).toBe(409);
    expect((await call('/api/plugins/nope/disable', { method: 'POST' })).status).toBe(404);
    await call('/api/stop', { method: 'POST' });
    expect(s.stopped()).toBe(true);
    expect(s.actions).toEqual(['halt (control API from 127.0.0.1)', 'resume (control API from 127.0.0.1)', 'disable ma-crossover (control API from 127.0.0.1)', 'enable ma-crossover (control API from 127.0.0.1)', 'stop (control API from 127.0.0.1)']);
  });
});

/** Opens the live feed as a browser on `origin` would, sends `token` first, and collects what comes back. */
function openFeed(token: string | undefined, origin?: string) {
  const ws = new WebSocket(`${server!.url.replace('http', 'ws')}/api/live`, origin === undefined ? {} : { origin });
  const messages: { topic: string; data: unknown }[] = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.on('close', (code, reason) => resolve({ code, reason: String(reason) }));
    ws.on('error', (error) => resolve({ code: -1, reason: error.message }));
  });
  ws.on('open', () => {
    if (token !== undefined) ws.send(JSON.stringify({ token }));
  });
  ws.on('message', (raw) => messages.push(JSON.parse(String(raw)) as { topic: string; data: unknown }));
  return { ws, messages, closed };
}

describe('the dashboard and its live feed', () => {
  it('sends the snapshot and then the session\'s events once the token arrives, and refuses a wrong token or another origin', async () => {
    const s = session();
    server = await startControlServer(s.controlled, { host: '127.0.0.1', port: 0 });
    const wrong = openFeed('f'.repeat(48));
    expect(await wrong.closed).toEqual({ code: 4401, reason: 'the session token is missing or wrong' });
    expect(wrong.messages).toEqual([]);
    const elsewhere = openFeed(server.token, 'https://evil.example');
    expect((await elsewhere.closed).reason).toContain('403');
    const feed = openFeed(server.token, server.url);
    while (feed.messages.length === 0) await new Promise((r) => setTimeout(r, 10));
    expect(feed.messages[0]).toMatchObject({ topic: 'snapshot', data: { status: { mode: 'paper' }, candles: {}, panels: [], actions: { flatten: false, reload: false } } });
    s.bus.publish('bar', { symbol: 'BTC/USDT', timeframe: '1m', time: 60_000, open: 1, high: 2, low: 0.5, close: 1.5, volume: 3 });
    s.bus.publish('equity', { time: 60_000, equity: 100_000, strategyId: 'ma-crossover' });
    s.bus.publish('equity', { time: 60_000, equity: 100_250 });
    while (feed.messages.length < 3) await new Promise((r) => setTimeout(r, 10));
    // A strategy's own equity is not the account's: only the account's goes out.
    expect(feed.messages.slice(1).filter((m) => m.topic !== 'risk-figures').map((m) => [m.topic, m.data])).toEqual([
      ['bar', { symbol: 'BTC/USDT', timeframe: '1m', time: 60_000, open: 1, high: 2, low: 0.5, close: 1.5, volume: 3 }],
      ['equity', { time: 60_000, equity: 100_250 }],
    ]);
    feed.ws.close();
  });

  it('serves the page with a policy that allows only its own scripts, and a panel\'s frame sandboxed with no network', async () => {
    const s = session();
    server = await startControlServer({ ...s.controlled, panels: [{ id: 'heat', version: '1.0.0', title: 'Heat </title><script>', topics: ['risk-figures'], height: 200, script: 'panel.on("risk-figures", () => {}); // </script><script>alert(1)</script>' }] }, { host: '127.0.0.1', port: 0 });
    const page = await fetch(`${server.url}/`);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('<script type="module" src="/assets/app.js">');
    for (const asset of ['/assets/app.js', '/assets/vendor/preact.js', '/assets/vendor/lightweight-charts.js']) expect((await fetch(`${server.url}${asset}`)).status).toBe(200);
    const frame = await fetch(`${server.url}/panels/heat/frame`);
    expect(frame.headers.get('content-security-policy')).toBe(PANEL_FRAME_POLICY);
    const html = await frame.text();
    // The panel's script cannot end its own <script> element and start another; its title is escaped.
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    expect(html).toContain('<\\/script><script>alert(1)<\\/script>');
    expect(html).toContain('<title>Heat &#60;/title&#62;&#60;script&#62;</title>');
    expect((await fetch(`${server.url}/panels/nope/frame`)).status).toBe(404);
    expect(await (await call('/api/panels')).json()).toEqual([{ id: 'heat', version: '1.0.0', title: 'Heat </title><script>', topics: ['risk-figures'], height: 200 }]);
  });

  it('flattens: halts entries first, then closes what is open, and journals what it closed', async () => {
    const s = session();
    const asked: string[] = [];
    server = await startControlServer({ ...s.controlled, flatten: async (reason) => (asked.push(reason), [{ strategyId: 'ma-crossover', symbol: 'BTC/USDT', quantity: 0.5, workingOrders: 1 }]) }, { host: '127.0.0.1', port: 0 });
    const answer = await call('/api/flatten', { method: 'POST' });
    expect(await answer.json()).toEqual({ halted: true, closing: [{ strategyId: 'ma-crossover', symbol: 'BTC/USDT', quantity: 0.5, workingOrders: 1 }] });
    expect(s.halt.halted).toBe(true);
    expect(asked).toEqual(['flattened by control API from 127.0.0.1']);
    expect(s.actions).toEqual(['flatten ma-crossover BTC/USDT (control API from 127.0.0.1)']);
  });
});

describe('the control API of a backtest', () => {
  it('reads, and refuses every action with the reason', async () => {
    const s = session();
    server = await startControlServer({ ...s.controlled, mode: 'backtest', readOnly: true }, { host: '127.0.0.1', port: 0 });
    expect((await call('/api/status')).status).toBe(200);
    for (const path of ['/api/halt', '/api/stop', '/api/plugins/ma-crossover/disable']) {
      const refused = await call(path, { method: 'POST' });
      expect(refused.status).toBe(405);
      expect(((await refused.json()) as { error: string }).error).toBe('a backtest is read-only: its API and dashboard show it, and Ctrl-C stops it');
    }
    expect(s.halt.halted).toBe(false);
    expect(s.stopped()).toBe(false);
    expect(s.actions).toEqual([]);
  });
});

describe('what the control API shows', () => {
  it('keeps the working orders as the broker reports them, and a plugin\'s health checks', async () => {
    const s = session();
    const order = (id: string, status: string) => ({ id, symbol: 'BTC/USDT', side: 'buy', quantity: 1, type: 'limit', limitPrice: 100, reduceOnly: false, strategyId: 'ma-crossover', time: 0, referencePrice: 101, status, filledQuantity: 0, averageFillPrice: Number.NaN, updatedAt: 0 });
    const reports = [{ time: 1, status: 'healthy' }, { time: 2, status: 'degraded', message: 'slow feed' }];
    server = await startControlServer({ ...s.controlled, healthHistory: (id) => (id === 'ma-crossover' ? reports : []) }, { host: '127.0.0.1', port: 0 });
    const off = s.controlled.view.attach(s.bus);
    s.bus.publish('order', order('a', 'accepted') as never);
    s.bus.publish('order', order('b', 'accepted') as never);
    s.bus.publish('order', order('a', 'filled') as never);
    s.bus.publish('order', order('c', 'rejected') as never);
    expect(((await (await call('/api/orders')).json()) as { id: string }[]).map((o) => o.id)).toEqual(['b']);
    expect(await (await call('/api/health/ma-crossover')).json()).toEqual(reports);
    expect((await call('/api/health/nope')).status).toBe(404);
    off();
  });
});

describe('the halt rule', () => {
  it('denies what is not reduce-only while halted, and lets exits through', async () => {
    const halt = new HaltSwitch();
    const instance = await halt.plugin().definition!.init({} as never);
    const check = (reduceOnly: boolean) => (instance as { checkOrder: (i: unknown) => { action: string; code?: string } }).checkOrder({ reduceOnly });
    expect(check(false)).toEqual({ action: 'allow' });
    halt.halt('halted by test');
    expect(check(false)).toMatchObject({ action: 'deny', code: 'HALTED' });
    expect(check(true)).toEqual({ action: 'allow' });
    halt.resume();
    expect(check(false)).toEqual({ action: 'allow' });
  });
});
