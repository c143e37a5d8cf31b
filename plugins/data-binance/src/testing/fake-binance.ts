import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { FakeBinanceAccount, type FakeAccountOptions } from './fake-binance-account.js';
import { FakeUserStream } from './fake-user-stream.js';

/** A raw kline row as Binance's REST API sends it: [openTime, o, h, l, c, volume, closeTime, quoteVolume, trades, takerBase, takerQuote, ignore]. */
export type KlineRow = readonly [number, string, string, string, string, string, number, string, number, string, string, string];

/** What the next matching REST request gets instead of a normal answer. */
export type Fault =
  | { readonly kind: 'status'; readonly status: number; readonly retryAfterSeconds?: number; readonly body?: string }
  | { readonly kind: 'malformed-json' }
  /** Headers promise the full body; the socket is cut halfway through it. */
  | { readonly kind: 'truncated' }
  /** The request is accepted and never answered. */
  | { readonly kind: 'stall' }
  /** The right candles, but shuffled, with some repeated. */
  | { readonly kind: 'shuffled-with-duplicates' }
  /** The request is carried out (an order placed) and the connection cut before the answer: the client times out. */
  | { readonly kind: 'lost' };

export interface FakeBinanceOptions {
  /** The body of GET /api/v3/exchangeInfo: the markets this server lists. */
  readonly exchangeInfo: unknown;
  /** Closed klines served over REST, by market id (BTCUSDT) and interval (1m). */
  readonly klines?: Readonly<Record<string, Readonly<Record<string, readonly KlineRow[]>>>>;
  /** Bodies of GET /api/v3/ticker/24hr, by market id. */
  readonly tickers?: Readonly<Record<string, unknown>>;
  /** An account for the signed endpoints (orders, balances, trades); without it they answer 401. */
  readonly account?: FakeAccountOptions;
}

export interface FakeBinance {
  /** Give as the plugin's `urls.rest`. */
  readonly restUrl: string;
  /** Give as the plugin's `urls.ws`. */
  readonly wsUrl: string;
  /** Every REST request received, as path and query. */
  readonly requests: { readonly path: string; readonly query: Readonly<Record<string, string>> }[];
  /** Queues faults for the next requests whose path is `path` (e.g. /api/v3/klines), one request each. */
  fail(path: string, ...faults: Fault[]): void;
  /** Drops the faults still queued for `path`: the venue answers it again. */
  heal(path: string): void;
  /** Adds closed klines that REST will serve (e.g. bars formed while a socket was down). */
  addKlines(marketId: string, interval: string, rows: readonly KlineRow[]): void;
  /** Sends a kline event to the sockets subscribed to it; a closed kline is also stored for REST. */
  pushKline(marketId: string, interval: string, row: KlineRow, closed: boolean): void;
  /** Sends a 24hrTicker event built from a REST-style ticker body to the sockets subscribed to it. */
  pushTicker(marketId: string, ticker: Readonly<Record<string, string>>): void;
  /** Sends a trade event (a print of `quantity` at `price`; `buyerIsMaker` makes the aggressor a seller). */
  pushTrade(marketId: string, trade: { readonly id: number; readonly time: number; readonly price: string; readonly quantity: string; readonly buyerIsMaker?: boolean }): void;
  /** Cuts every websocket connection without a close frame. */
  dropSockets(): void;
  /** Resolves once some socket is subscribed to `stream` (e.g. btcusdt@kline_1m). */
  subscribed(stream: string): Promise<void>;
  /** How many websocket connections have been opened so far. */
  readonly connections: number;
  /** The account behind the signed endpoints, when the options gave one: its balances, orders and trades. */
  readonly account: FakeBinanceAccount | undefined;
  /** The account's user data stream on the WebSocket API (with an account): its subscribers and faults. */
  readonly userStream: FakeUserStream | undefined;
  /** The WebSocket API's URL (Binance's wss://ws-api.binance.com:443/ws-api/v3). */
  readonly wsApiUrl: string;
  close(): Promise<void>;
}

interface Subscriber {
  readonly socket: WebSocket;
  readonly streams: Set<string>;
}

/** The signed endpoints the account answers. */
const PRIVATE_PATHS: ReadonlySet<string> = new Set(['/api/v3/account', '/api/v3/order', '/api/v3/openOrders', '/api/v3/myTrades', '/api/v3/order/cancelReplace']);

const INTERVALS: Readonly<Record<string, number>> = { '1s': 1e3, '1m': 6e4, '3m': 18e4, '5m': 3e5, '15m': 9e5, '30m': 18e5, '1h': 36e5, '2h': 72e5, '4h': 144e5, '6h': 216e5, '8h': 288e5, '12h': 432e5, '1d': 864e5, '3d': 2592e5, '1w': 6048e5 };

/** What Binance answers with each status: its JSON errors for 4xx and 500, a gateway's HTML page for 502-504. */
function defaultFaultBody(status: number): unknown {
  if (status === 429 || status === 418) return { code: -1003, msg: 'Too many requests; current limit is 1200 request weight per 1 MINUTE.' };
  if (status === 500) return { code: -1000, msg: 'An unknown error occured while processing the request.' };
  if (status >= 500) return `<html><head><title>${status}</title></head><body><h1>${status}</h1></body></html>`;
  return { code: -1100, msg: 'Illegal characters found in a parameter.' };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

/**
 * A local server speaking Binance's spot REST and websocket protocols, enough of them for ccxt's market data
 * calls: exchangeInfo, klines (startTime, endTime, limit as Binance applies them), 24hr ticker, and the /ws
 * stream endpoint with SUBSCRIBE/UNSUBSCRIBE. Tests feed it recorded responses and inject faults.
 */
export async function startFakeBinance(options: FakeBinanceOptions): Promise<FakeBinance> {
  const markets = new Set(((options.exchangeInfo as { symbols?: { symbol: string }[] }).symbols ?? []).map((s) => s.symbol));
  const klines = new Map<string, KlineRow[]>();
  const store = (marketId: string, interval: string, rows: readonly KlineRow[]): void => {
    const key = `${marketId}:${interval}`;
    const byTime = new Map((klines.get(key) ?? []).map((r) => [r[0], r]));
    for (const row of rows) byTime.set(row[0], row);
    klines.set(key, [...byTime.values()].sort((a, b) => a[0] - b[0]));
  };
  for (const [id, byInterval] of Object.entries(options.klines ?? {})) for (const [interval, rows] of Object.entries(byInterval)) store(id, interval, rows);
  const faults = new Map<string, Fault[]>();
  const requests: FakeBinance['requests'] = [];
  const subscribers = new Set<Subscriber>();
  const waiting: { stream: string; resolve: () => void }[] = [];
  const stalled = new Set<ServerResponse>();
  let connections = 0;
  const account = options.account === undefined ? undefined : new FakeBinanceAccount(options.account, options.exchangeInfo);
  const userStream = account === undefined ? undefined : new FakeUserStream(account);

  const klinesAnswer = (query: Record<string, string>): { status: number; body: unknown } => {
    const symbol = query['symbol'] ?? '';
    if (!markets.has(symbol)) return { status: 400, body: { code: -1121, msg: 'Invalid symbol.' } };
    const interval = query['interval'] ?? '';
    if (!(interval in INTERVALS) && interval !== '1M') return { status: 400, body: { code: -1120, msg: 'Invalid interval.' } };
    const limit = Math.min(1000, Number(query['limit'] ?? 500));
    const rows = klines.get(`${symbol}:${interval}`) ?? [];
    const start = query['startTime'] === undefined ? undefined : Number(query['startTime']);
    const end = query['endTime'] === undefined ? Infinity : Number(query['endTime']);
    const inRange = rows.filter((r) => (start === undefined || r[0] >= start) && r[0] <= end);
    return { status: 200, body: start === undefined ? inRange.slice(-limit) : inRange.slice(0, limit) };
  };

  /** A signed request: its body read, the signature and timestamp checked, then the account's answer. */
  const handlePrivate = async (req: IncomingMessage, res: ServerResponse, url: URL, fault: Fault | undefined): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
    const body = Buffer.concat(chunks).toString('utf8');
    const params = { ...Object.fromEntries(url.searchParams), ...Object.fromEntries(new URLSearchParams(body)) };
    requests.push({ path: url.pathname, query: params });
    if (account === undefined) return send(res, 401, { code: -2015, msg: 'Invalid API-key, IP, or permissions for action.' });
    const apiKey = req.headers['x-mbx-apikey'];
    const refused = account.authenticate(typeof apiKey === 'string' ? apiKey : undefined, `${url.search.slice(1)}${body}`, params);
    const answer = refused ?? account.handle(req.method ?? 'GET', url.pathname, params);
    if (fault?.kind === 'lost') {
      res.socket?.destroy();
      return;
    }
    send(res, answer.status, answer.body);
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const query = Object.fromEntries(url.searchParams);
    if (PRIVATE_PATHS.has(url.pathname)) {
      const fault = faults.get(url.pathname)?.[0]?.kind === 'lost' ? faults.get(url.pathname)!.shift() : undefined;
      if (fault === undefined && faults.get(url.pathname)?.length) {
        // Other faults answer before the request is looked at, as a gateway or the rate limiter would.
        requests.push({ path: url.pathname, query });
        const early = faults.get(url.pathname)!.shift()!;
        if (early.kind === 'status') return send(res, early.status, early.body ?? defaultFaultBody(early.status), early.retryAfterSeconds === undefined ? {} : { 'retry-after': String(early.retryAfterSeconds) });
        if (early.kind === 'stall') return void stalled.add(res);
      }
      void handlePrivate(req, res, url, fault).catch(() => send(res, 500, defaultFaultBody(500)));
      return;
    }
    requests.push({ path: url.pathname, query });
    const fault = faults.get(url.pathname)?.shift();
    if (fault?.kind === 'status') {
      send(res, fault.status, fault.body ?? defaultFaultBody(fault.status), fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) });
      return;
    }
    if (fault?.kind === 'malformed-json') return send(res, 200, '[[1634943780000,"60685.22000000",');
    if (fault?.kind === 'stall') {
      stalled.add(res);
      return;
    }
    let answer: { status: number; body: unknown };
    if (url.pathname === '/api/v3/exchangeInfo') answer = { status: 200, body: options.exchangeInfo };
    else if (url.pathname === '/api/v3/time') answer = { status: 200, body: { serverTime: Date.now() } };
    else if (url.pathname === '/api/v3/klines') answer = klinesAnswer(query);
    else if (url.pathname === '/api/v3/ticker/24hr') {
      const ticker = options.tickers?.[query['symbol'] ?? ''];
      answer = ticker === undefined ? { status: 400, body: { code: -1121, msg: 'Invalid symbol.' } } : { status: 200, body: ticker };
    } else answer = { status: 404, body: { code: -1, msg: `no route ${url.pathname}` } };
    if (fault?.kind === 'shuffled-with-duplicates' && Array.isArray(answer.body)) {
      const rows = answer.body as KlineRow[];
      answer = { status: 200, body: [...rows.slice(1).reverse(), rows[0], ...rows.slice(0, 3)].filter((r) => r !== undefined) };
    }
    if (fault?.kind === 'truncated') {
      const text = JSON.stringify(answer.body);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
      res.write(text.slice(0, Math.floor(text.length / 2)));
      res.socket?.destroy();
      return;
    }
    send(res, answer.status, answer.body);
  };

  const server = createServer(handle);
  const wss = new WebSocketServer({ server, path: undefined });
  wss.on('connection', (socket, req) => {
    if ((req.url ?? '').startsWith('/ws-api/v3') && userStream !== undefined) {
      connections++;
      userStream.accept(socket);
      return;
    }
    if (!(req.url ?? '').startsWith('/ws')) {
      socket.close(1008, 'unknown path');
      return;
    }
    connections++;
    const subscriber: Subscriber = { socket, streams: new Set() };
    subscribers.add(subscriber);
    socket.on('close', () => subscribers.delete(subscriber));
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { method: string; params: string[]; id: number };
      for (const stream of message.params ?? []) {
        if (message.method === 'SUBSCRIBE') subscriber.streams.add(stream);
        else if (message.method === 'UNSUBSCRIBE') subscriber.streams.delete(stream);
      }
      socket.send(JSON.stringify({ result: null, id: message.id }));
      for (let i = waiting.length - 1; i >= 0; i--) {
        if (subscriber.streams.has(waiting[i]!.stream)) waiting.splice(i, 1)[0]!.resolve();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const broadcast = (stream: string, event: unknown): void => {
    const text = JSON.stringify(event);
    for (const s of subscribers) if (s.streams.has(stream)) s.socket.send(text);
  };

  return {
    restUrl: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    wsApiUrl: `ws://127.0.0.1:${port}/ws-api/v3`,
    userStream,
    requests,
    get connections() {
      return connections;
    },
    account,
    fail(path, ...more) {
      faults.set(path, [...(faults.get(path) ?? []), ...more]);
    },
    heal(path) {
      faults.delete(path);
    },
    addKlines: store,
    pushKline(marketId, interval, row, closed) {
      if (closed) store(marketId, interval, [row]);
      // The market trades at the kline's close: resting orders of the account it reaches fill.
      account?.setPrice(marketId, Number(row[4]));
      broadcast(`${marketId.toLowerCase()}@kline_${interval}`, {
        e: 'kline',
        E: row[6] + 1,
        s: marketId,
        k: { t: row[0], T: row[6], s: marketId, i: interval, f: 0, L: row[8], o: row[1], c: row[4], h: row[2], l: row[3], v: row[5], n: row[8], x: closed, q: row[7], V: row[9], Q: row[10], B: row[11] },
      });
    },
    pushTicker(marketId, t) {
      broadcast(`${marketId.toLowerCase()}@ticker`, {
        e: '24hrTicker', E: Number(t['closeTime']), s: marketId, p: t['priceChange'], P: t['priceChangePercent'], w: t['weightedAvgPrice'], x: t['prevClosePrice'], c: t['lastPrice'], Q: t['lastQty'],
        b: t['bidPrice'], B: t['bidQty'], a: t['askPrice'], A: t['askQty'], o: t['openPrice'], h: t['highPrice'], l: t['lowPrice'], v: t['volume'], q: t['quoteVolume'],
        O: Number(t['openTime']), C: Number(t['closeTime']), F: Number(t['firstId']), L: Number(t['lastId']), n: Number(t['count']),
      });
    },
    pushTrade(marketId, t) {
      broadcast(`${marketId.toLowerCase()}@trade`, { e: 'trade', E: t.time, s: marketId, t: t.id, p: t.price, q: t.quantity, T: t.time, m: t.buyerIsMaker === true, M: true });
    },
    dropSockets() {
      for (const s of subscribers) s.socket.terminate();
      subscribers.clear();
    },
    subscribed(stream) {
      for (const s of subscribers) if (s.streams.has(stream)) return Promise.resolve();
      return new Promise((resolve) => waiting.push({ stream, resolve }));
    },
    async close() {
      for (const res of stalled) res.socket?.destroy();
      for (const s of subscribers) s.socket.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

