import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EventBus, HealthSummary, PluginManager } from '@trading-orchestrator/core-manager';
import type { AlertDelivery, FlattenedPosition } from '@trading-orchestrator/engine';
import type { ExternalAlert, PortfolioSnapshot } from '@trading-orchestrator/plugin-api';
import { DASHBOARD_POLICY, DashboardAssets } from '../dashboard/dashboard-assets.js';
import { LiveFeed } from '../dashboard/live-feed.js';
import { PANEL_FRAME_POLICY, panelFrameHtml, type InstalledPanel } from '../dashboard/panel-frame.js';
import { readAlert } from './alert-endpoint.js';
import type { HaltSwitch } from './halt-switch.js';
import { HttpError } from './http-error.js';
import { riskFigures } from './risk-figures.js';
import { pluginStates, type SessionView } from './session-view.js';

/** What reloading a plugin did: the version that runs now, and the one before. */
export interface ReloadOutcome {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly state: string;
}

/** What the control API acts on: the session's plugins, its bus (where actions are journaled), its halt switch. */
export interface ControlledSession {
  readonly mode: string;
  readonly manager: PluginManager;
  readonly bus: EventBus;
  readonly view: SessionView;
  readonly halt: HaltSwitch;
  /** Ends the session after the bar in progress, as Ctrl-C does. */
  readonly stop: () => void;
  /** The session's time (what an action is journaled at). */
  readonly now: () => number;
  /** Each plugin's latest health check. */
  readonly health?: () => readonly HealthSummary[];
  /** A plugin's recent health checks, oldest first. */
  readonly healthHistory?: (id: string) => readonly unknown[];
  /** A backtest's API: it reads, and every action is refused. */
  readonly readOnly?: boolean;
  /** The account now, for the risk plugins' figures. */
  readonly portfolio?: () => PortfolioSnapshot;
  /** Hands an external alert to the session's strategies (paper and live sessions). */
  readonly alert?: (alert: ExternalAlert) => Promise<AlertDelivery>;
  /** Cancels working orders and closes every position at each symbol's next bar. */
  readonly flatten?: (reason: string) => Promise<readonly FlattenedPosition[]>;
  /** Swaps a plugin for the newest compatible version installed, its state handed over. */
  readonly reload?: (id: string) => Promise<ReloadOutcome>;
  /** The journal's runs, for the dashboard. */
  readonly runs?: { list(): unknown[]; get(id: number): unknown };
  /** The panel plugins installed, shown by the dashboard. */
  readonly panels?: readonly InstalledPanel[];
}

export interface ControlServer {
  readonly url: string;
  readonly token: string;
  /** The live feed's clients now, and the messages slow ones were not sent. */
  readonly feed: { readonly watching: number; readonly dropped: number };
  close(): Promise<void>;
}

const ROUTES = 'GET /api/status, /api/positions, /api/orders, /api/signals, /api/denials, /api/plugins, /api/health[/<id>], /api/risk, /api/shadow, /api/panels, /api/runs[/<id>], the WebSocket /api/live, and POST /api/halt, /api/resume, /api/flatten, /api/stop, /api/alerts, /api/plugins/<id>/disable|enable|reload';

/**
 * The control API of a running session and its dashboard: HTTP and WebSocket on `host:port` (port 0: any free
 * one). The dashboard's files and panels' frames hold no secret and are served to anyone who can connect; every
 * `/api` request needs the session's token as `Authorization: Bearer <token>` (the WebSocket: as its first
 * message). Refused: no token or a wrong one (401), a token in the query string (400: it would end up in logs and
 * browser history), and any request a browser sends from another origin (403: a page on the web cannot drive the
 * session through the user's browser). Actions are published on the bus (`control`), so the journal records each
 * with where it came from.
 */
export async function startControlServer(session: ControlledSession, options: { host: string; port: number }): Promise<ControlServer> {
  const token = randomBytes(24).toString('hex');
  const expected = Buffer.from(`Bearer ${token}`);
  const isToken = (given: string) => {
    const buffer = Buffer.from(`Bearer ${given}`);
    return buffer.length === expected.length && timingSafeEqual(buffer, expected);
  };
  let origin = '';
  const assets = new DashboardAssets();
  const panels = new Map((session.panels ?? []).map((p) => [p.id, p]));
  const feed = new LiveFeed({ origin: () => origin, checkToken: isToken, snapshot: () => snapshot(), riskFigures: () => riskFigures(session.manager, session.portfolio?.()) });
  const offFeed = feed.attach(session.bus, session.manager);
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, error instanceof HttpError ? error.status : 500, { error: (error as Error).message }));
  });
  server.on('upgrade', (req, socket, head) => {
    if (new URL(req.url ?? '/', origin).pathname === '/api/live') feed.upgrade(req, socket, head);
    else socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
  });

  const authorise = (req: IncomingMessage, url: URL, bodyToken?: unknown) => {
    if (url.searchParams.has('token') || url.searchParams.has('access_token')) throw new HttpError(400, 'a token in the URL is refused (it ends up in logs and history); send it as Authorization: Bearer <token>');
    const browserOrigin = req.headers.origin;
    if (browserOrigin !== undefined && browserOrigin !== origin) throw new HttpError(403, `requests from ${browserOrigin} are refused: the control API answers this machine's tools and its own dashboard, not other web pages`);
    const header = req.headers.authorization;
    const given = header !== undefined ? header.replace(/^Bearer /, '') : typeof bodyToken === 'string' ? bodyToken : '';
    if ((header !== undefined && !header.startsWith('Bearer ')) || !isToken(given)) throw new HttpError(401, 'the session token is missing or wrong; trading-orchestrator ctl reads it from the control file the session wrote');
  };

  const act = (action: string, originText: string, target?: string) => session.bus.publish('control', { time: session.now(), action, origin: originText, ...(target === undefined ? {} : { target }) });

  const status = () => {
    const { view, halt } = session;
    return { mode: session.mode, bars: view.bars, lastBarTime: view.lastBarTime ?? null, equity: view.equity ?? null, halted: halt.halted, ...(halt.why === undefined ? {} : { haltedBecause: halt.why }), positions: view.positions.size, plugins: pluginStates(session.manager) };
  };
  const panelList = () => [...panels.values()].map((p) => ({ id: p.id, version: p.version, title: p.title, topics: p.topics, height: p.height }));
  const snapshot = () => ({
    status: status(),
    candles: session.view.candles(),
    fills: session.view.fills(),
    equity: session.view.equityHistory(),
    positions: [...session.view.positions.values()],
    orders: [...session.view.orders.values()],
    signals: session.view.signals,
    denials: session.view.denials,
    health: session.health?.() ?? [],
    panels: panelList(),
    actions: { readOnly: session.readOnly === true, flatten: session.flatten !== undefined, reload: session.reload !== undefined, alerts: session.alert !== undefined },
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    if (req.method === 'GET' && !url.pathname.startsWith('/api/')) return serveFile(res, url.pathname);
    if (req.method === 'POST' && url.pathname === '/api/alerts') {
      if (session.alert === undefined) {
        authorise(req, url);
        throw new HttpError(409, `a ${session.mode} takes no alerts`);
      }
      const alert = await readAlert(req, (bodyToken) => authorise(req, url, bodyToken), session.now());
      const delivery = await session.alert(alert);
      const where = delivery.targets.length === 0 ? 'no strategy (none takes alerts for it)' : `${delivery.rule}: ${delivery.targets.map((t) => `${t.strategyId} (${t.failed ? 'failed' : `${t.signals} signal${t.signals === 1 ? '' : 's'}`})`).join(', ')}`;
      act('alert', alert.source, where);
      return send(res, 200, delivery);
    }
    authorise(req, url);
    const from = `${req.headers.origin === undefined ? 'control API' : 'dashboard'} from ${req.socket.remoteAddress ?? 'unknown'}`;
    const { view, manager, halt } = session;
    const route = `${req.method} ${url.pathname}`;
    if (session.readOnly === true && req.method !== 'GET') throw new HttpError(405, `a ${session.mode} is read-only: its API and dashboard show it, and Ctrl-C stops it`);
    switch (route) {
      case 'GET /api/status':
        return send(res, 200, status());
      case 'GET /api/positions':
        return send(res, 200, [...view.positions.values()]);
      case 'GET /api/orders':
        return send(res, 200, [...view.orders.values()]);
      case 'GET /api/signals':
        return send(res, 200, view.signals);
      case 'GET /api/denials':
        return send(res, 200, view.denials);
      case 'GET /api/plugins':
        return send(res, 200, manager.status());
      case 'GET /api/shadow':
        return send(res, 200, view.shadow.comparisons());
      case 'GET /api/health':
        return send(res, 200, session.health?.() ?? []);
      case 'GET /api/risk':
        return send(res, 200, await riskFigures(manager, session.portfolio?.()));
      case 'GET /api/panels':
        return send(res, 200, panelList());
      case 'GET /api/runs':
        return send(res, 200, session.runs?.list() ?? []);
      case 'POST /api/halt':
        halt.halt(`halted by ${from}`);
        act('halt', from);
        return send(res, 200, { halted: true });
      case 'POST /api/resume':
        halt.resume();
        act('resume', from);
        return send(res, 200, { halted: false });
      case 'POST /api/flatten': {
        if (session.flatten === undefined) throw new HttpError(409, `a ${session.mode} cannot be flattened`);
        // Entries stop first, or a strategy would open again on the next bar.
        halt.halt(`flattened by ${from}`);
        const closing = await session.flatten(`flattened by ${from}`);
        act('flatten', from, closing.map((c) => `${c.strategyId} ${c.symbol}`).join(', ') || 'nothing open');
        return send(res, 200, { halted: true, closing });
      }
      case 'POST /api/stop':
        act('stop', from);
        send(res, 200, { stopping: true });
        session.stop();
        return;
    }
    const health = /^GET \/api\/health\/([^/]+)$/.exec(route);
    if (health !== null) {
      const id = decodeURIComponent(health[1]!);
      if (manager.get(id) === undefined) throw new HttpError(404, `no plugin "${id}" in this session (GET /api/plugins lists them)`);
      return send(res, 200, session.healthHistory?.(id) ?? []);
    }
    const run = /^GET \/api\/runs\/(\d+)$/.exec(route);
    if (run !== null) {
      const found = session.runs?.get(Number(run[1]));
      if (found === undefined) throw new HttpError(404, `no run ${run[1]} in the session's journal (GET /api/runs lists them)`);
      return send(res, 200, found);
    }
    const plugin = /^POST \/api\/plugins\/([^/]+)\/(disable|enable|reload)$/.exec(route);
    if (plugin !== null) {
      const id = decodeURIComponent(plugin[1]!);
      const managed = manager.get(id);
      if (managed === undefined) throw new HttpError(404, `no plugin "${id}" in this session (GET /api/plugins lists them)`);
      if (plugin[2] === 'reload') {
        if (session.reload === undefined) throw new HttpError(409, `a ${session.mode} cannot reload plugins`);
        try {
          const outcome = await session.reload(id);
          act('reload', from, `${id} ${outcome.from} -> ${outcome.to}`);
          return send(res, 200, outcome);
        } catch (error) {
          act('reload', from, `${id} refused: ${(error as Error).message}`);
          throw error;
        }
      }
      if (managed.kind === 'data' || managed.kind === 'broker') throw new HttpError(409, `"${id}" is the session's ${managed.kind} plugin; disabling it would stop the session (POST /api/stop does that)`);
      if (plugin[2] === 'disable') await manager.disable(id, `disabled by ${from}`);
      else await manager.enable(id, `enabled by ${from}`);
      act(plugin[2]!, from, id);
      return send(res, 200, { id, state: manager.get(id)!.machine.state });
    }
    throw new HttpError(404, `no ${route}; the control API has ${ROUTES}`);
  }

  function serveFile(res: ServerResponse, path: string): void {
    const frame = /^\/panels\/([a-z0-9-]+)\/frame$/.exec(path);
    if (frame !== null) {
      const panel = panels.get(frame[1]!);
      if (panel === undefined) return send(res, 404, { error: `no panel "${frame[1]}" is installed` });
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': PANEL_FRAME_POLICY, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' });
      return void res.end(panelFrameHtml(panel));
    }
    const asset = assets.get(path);
    if (asset === undefined) return send(res, 404, { error: `no ${path}; the dashboard is at /` });
    res.writeHead(200, { 'content-type': asset.type, 'content-security-policy': DASHBOARD_POLICY, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer' });
    res.end(asset.body);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  origin = `http://${host}:${address.port}`;
  return {
    url: origin,
    token,
    feed,
    close: () =>
      new Promise<void>((resolve) => {
        offFeed();
        feed.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(text);
}
