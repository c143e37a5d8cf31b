import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EventBus, HealthSummary, PluginManager } from '@trading-orchestrator/core-manager';
import type { AlertDelivery } from '@trading-orchestrator/engine';
import { isTimeframe, TIMEFRAMES, type ExternalAlert, type PortfolioSnapshot, type Timeframe } from '@trading-orchestrator/plugin-api';
import { riskFigures } from './risk-figures.js';
import type { HaltSwitch } from './halt-switch.js';
import type { SessionView } from './session-view.js';

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
  /** The account now, for the risk plugins' figures. */
  readonly portfolio?: () => PortfolioSnapshot;
  /** Hands an external alert to the session's strategies (paper and live sessions). */
  readonly alert?: (alert: ExternalAlert) => Promise<AlertDelivery>;
}

/** The most an alert's body may hold. */
const ALERT_BYTES = 64 * 1024;



export interface ControlServer {
  readonly url: string;
  readonly token: string;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The control API of a running session: HTTP on `host:port` (port 0: any free one), every request with the
 * session's token as `Authorization: Bearer <token>`. Refused: no token or a wrong one (401), a token in the query
 * string (400: it would end up in logs and browser history), and any request a browser sends from another origin
 * (403: a page on the web cannot drive the session through the user's browser). Actions are published on the bus
 * (`control`), so the journal records each with where it came from.
 */
export async function startControlServer(session: ControlledSession, options: { host: string; port: number }): Promise<ControlServer> {
  const token = randomBytes(24).toString('hex');
  const expected = Buffer.from(`Bearer ${token}`);
  let origin = '';
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, error instanceof HttpError ? error.status : 500, { error: (error as Error).message }));
  });

  /** `bodyToken`: an alert's `token` field, for senders that cannot set headers (TradingView's webhooks). */
  const authorise = (req: IncomingMessage, url: URL, bodyToken?: unknown) => {
    if (url.searchParams.has('token') || url.searchParams.has('access_token')) throw new HttpError(400, 'a token in the URL is refused (it ends up in logs and history); send it as Authorization: Bearer <token>');
    const browserOrigin = req.headers.origin;
    if (browserOrigin !== undefined && browserOrigin !== origin) throw new HttpError(403, `requests from ${browserOrigin} are refused: the control API answers this machine's tools, not web pages`);
    const given = Buffer.from(req.headers.authorization ?? (typeof bodyToken === 'string' ? `Bearer ${bodyToken}` : ''));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new HttpError(401, 'the session token is missing or wrong; trading-orchestrator ctl reads it from the control file the session wrote');
  };

  const act = (action: string, originText: string, target?: string) => session.bus.publish('control', { time: session.now(), action, origin: originText, ...(target === undefined ? {} : { target }) });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    if (req.method === 'POST' && url.pathname === '/api/alerts') return receiveAlert(req, res, url);
    authorise(req, url);
    const from = `control API from ${req.socket.remoteAddress ?? 'unknown'}`;
    const { view, manager, halt } = session;
    const route = `${req.method} ${url.pathname}`;
    switch (route) {
      case 'GET /api/status':
        return send(res, 200, {
          mode: session.mode,
          bars: view.bars,
          lastBarTime: view.lastBarTime ?? null,
          equity: view.equity ?? null,
          halted: halt.halted,
          ...(halt.why === undefined ? {} : { haltedBecause: halt.why }),
          positions: view.positions.size,
          plugins: manager.status().map((p) => ({ id: p.id, kind: p.kind, state: p.state, failures: p.failures, ...(p.failure === undefined ? {} : { failure: p.failure }) })),
        });
      case 'GET /api/positions':
        return send(res, 200, [...view.positions.values()]);
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
      case 'POST /api/halt':
        halt.halt(`halted by ${from}`);
        act('halt', from);
        return send(res, 200, { halted: true });
      case 'POST /api/resume':
        halt.resume();
        act('resume', from);
        return send(res, 200, { halted: false });
      case 'POST /api/stop':
        act('stop', from);
        send(res, 200, { stopping: true });
        session.stop();
        return;
    }
    const plugin = /^POST \/api\/plugins\/([^/]+)\/(disable|enable)$/.exec(route);
    if (plugin !== null) {
      const id = decodeURIComponent(plugin[1]!);
      const managed = manager.get(id);
      if (managed === undefined) throw new HttpError(404, `no plugin "${id}" in this session (GET /api/plugins lists them)`);
      if (managed.kind === 'data' || managed.kind === 'broker') throw new HttpError(409, `"${id}" is the session's ${managed.kind} plugin; disabling it would stop the session (POST /api/stop does that)`);
      if (plugin[2] === 'disable') await manager.disable(id, `disabled by ${from}`);
      else await manager.enable(id, `enabled by ${from}`);
      act(plugin[2]!, from, id);
      return send(res, 200, { id, state: manager.get(id)!.machine.state });
    }
    throw new HttpError(404, `no ${route}; the control API has GET /api/status, /api/positions, /api/signals, /api/denials, /api/plugins, /api/health, /api/risk, /api/shadow and POST /api/halt, /api/resume, /api/stop, /api/alerts, /api/plugins/<id>/disable|enable`);
  }

  /**
   * An external alert: JSON such as TradingView's alert message, `{ "strategy": "…", "symbol": "BTC/USDT",
   * "timeframe": "1h", "action": "buy", … }`, with `plugin` naming one strategy instance outright. The whole body
   * (its token left out) is the strategy's `payload`. Where it went is answered and journaled.
   */
  async function receiveAlert(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > ALERT_BYTES) throw new HttpError(413, `an alert may hold ${ALERT_BYTES / 1024} KB at most`);
      chunks.push(chunk);
    }
    let body: Record<string, unknown>;
    try {
      const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      body = parsed as Record<string, unknown>;
    } catch {
      authorise(req, url);
      throw new HttpError(400, 'an alert is a JSON object, e.g. {"strategy": "ma-crossover", "symbol": "BTC/USDT", "action": "buy"}');
    }
    authorise(req, url, body.token);
    if (session.alert === undefined) throw new HttpError(409, `a ${session.mode} takes no alerts`);
    const { token: _, ...payload } = body;
    const text = (key: string) => (typeof body[key] === 'string' && body[key] !== '' ? (body[key] as string) : undefined);
    const timeframe = text('timeframe');
    if (timeframe !== undefined && !isTimeframe(timeframe)) throw new HttpError(400, `timeframe "${timeframe}" is not one of ${TIMEFRAMES.join(', ')}`);
    const alert: ExternalAlert = {
      source: `webhook from ${req.socket.remoteAddress ?? 'unknown'}`,
      time: session.now(),
      payload,
      ...(text('plugin') === undefined ? {} : { pluginHint: text('plugin')! }),
      ...(text('strategy') === undefined ? {} : { strategy: text('strategy')! }),
      ...(timeframe === undefined ? {} : { timeframe: timeframe as Timeframe }),
      ...(text('symbol') === undefined ? {} : { symbol: text('symbol')! }),
    };
    const delivery = await session.alert(alert);
    const where = delivery.targets.length === 0 ? 'no strategy (none takes alerts for it)' : `${delivery.rule}: ${delivery.targets.map((t) => `${t.strategyId} (${t.failed ? 'failed' : `${t.signals} signal${t.signals === 1 ? '' : 's'}`})`).join(', ')}`;
    act('alert', alert.source, where);
    return send(res, 200, delivery);
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
    close: () =>
      new Promise<void>((resolve) => {
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
