import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { EventBus, PluginManager } from '@trading-orchestrator/core-manager';
import type { PanelTopic } from '@trading-orchestrator/plugin-api';
import { WebSocketServer, type WebSocket } from 'ws';
import { pluginStates } from '../control/session-view.js';

/** A topic the live feed sends: the panel topics, and the denials the dashboard lists. */
export type FeedTopic = PanelTopic | 'denial';

/** How long a socket may take to send the token before it is closed. */
const AUTH_MS = 5_000;
/** A client that has this much unsent is slow: what it would be sent next is dropped and counted. */
const SLOW_CLIENT_BYTES = 4 * 1024 * 1024;
/** Risk figures are worked out at most this often, and only while someone watches. */
const RISK_FIGURES_MS = 1_000;

export interface LiveFeedOptions {
  /** The origin the dashboard is served from; a browser socket from any other is refused. */
  readonly origin: () => string;
  /** Whether `token` is the session's. */
  readonly checkToken: (token: string) => boolean;
  /** What a client gets first, once it has sent the token. */
  readonly snapshot: () => unknown;
  /** The risk plugins' figures for the account now (topic `risk-figures`). */
  readonly riskFigures: () => Promise<unknown>;
}

/**
 * The control API's WebSocket (`/api/live`): the session's events as they happen, for the dashboard. A browser
 * cannot set headers on a WebSocket, so the token is the socket's first message (`{"token": "…"}`), never the URL;
 * until it arrives nothing is sent, and a socket from another origin is refused at the handshake. Each message
 * is `{topic, time, data}`; a client that cannot keep up loses messages rather than growing the server's memory.
 */
export class LiveFeed {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 4 * 1024 });
  private readonly clients = new Set<WebSocket>();
  private lastFigures = 0;
  private figuresPending = false;
  /** Messages not sent to a slow client. */
  dropped = 0;

  constructor(private readonly options: LiveFeedOptions) {}

  get watching(): number {
    return this.clients.size;
  }

  /** Takes an HTTP upgrade request for `/api/live`. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== this.options.origin()) {
      socket.end('HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nrequests from another origin are refused\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.admit(ws));
  }

  private admit(ws: WebSocket): void {
    const timer = setTimeout(() => ws.close(4401, 'send {"token": "…"} first'), AUTH_MS);
    ws.once('message', (raw) => {
      clearTimeout(timer);
      let token: unknown;
      try {
        token = (JSON.parse(String(raw)) as { token?: unknown }).token;
      } catch {
        token = undefined;
      }
      if (typeof token !== 'string' || !this.options.checkToken(token)) return ws.close(4401, 'the session token is missing or wrong');
      this.clients.add(ws);
      ws.on('close', () => this.clients.delete(ws));
      ws.on('message', () => undefined);
      ws.send(JSON.stringify({ topic: 'snapshot', time: Date.now(), data: this.options.snapshot() }));
    });
    ws.on('error', () => ws.terminate());
  }

  /** Sends `data` on `topic` to every client. */
  send(topic: FeedTopic, data: unknown): void {
    if (this.clients.size === 0) return;
    const text = JSON.stringify({ topic, time: Date.now(), data });
    for (const ws of this.clients) {
      if (ws.bufferedAmount > SLOW_CLIENT_BYTES) this.dropped++;
      else ws.send(text);
    }
  }

  /** Forwards the session's events from the bus; returns the function that stops it. */
  attach(bus: EventBus, manager: PluginManager): () => void {
    const off = [
      bus.subscribe('bar', (bar) => {
        this.send('bar', bar);
        this.figuresSoon();
      }),
      bus.subscribe('equity', (e) => {
        if (e.strategyId === undefined) this.send('equity', e);
      }),
      bus.subscribe('position', (p) => this.send('position', p)),
      bus.subscribe('order', (o) => this.send('order', o)),
      bus.subscribe('signal', (e) => this.send('signal', e)),
      bus.subscribe('fill', (f) => this.send('fill', f)),
      bus.subscribe('trade', (t) => this.send('trade', t)),
      bus.subscribe('risk', (r) => this.send('risk', r)),
      bus.subscribe('health', (h) => this.send('health', h)),
      bus.subscribe('lifecycle', () => this.send('plugins', pluginStates(manager))),
      bus.subscribe('control', (c) => this.send('control', c)),
      bus.subscribe('risk-verdict', (e) => {
        if (!e.approved) this.send('denial', { time: e.intent.time, strategyId: e.intent.strategyId, symbol: e.intent.symbol, deniedBy: e.deniedBy ?? '', code: e.code ?? '', message: e.message ?? '' });
      }),
    ];
    return () => {
      for (const o of off) o();
    };
  }

  private figuresSoon(): void {
    if (this.clients.size === 0 || this.figuresPending || Date.now() - this.lastFigures < RISK_FIGURES_MS) return;
    this.figuresPending = true;
    // After the bar's own work: the figures are read off the trading path.
    setImmediate(() => {
      this.options
        .riskFigures()
        .then((figures) => this.send('risk-figures', figures))
        .catch(() => undefined)
        .finally(() => {
          this.lastFigures = Date.now();
          this.figuresPending = false;
        });
    });
  }

  close(): void {
    for (const ws of this.clients) ws.terminate();
    this.clients.clear();
    this.wss.close();
  }
}
