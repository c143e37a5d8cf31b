import type { Exchange } from 'ccxt';
import type { CcxtBrokerConfig } from './config.js';

const REST_HOST = /^https:\/\/api\.binance\.com/;
const TESTNET_REST_HOST = /^https:\/\/testnet\.binance\.vision/;

/** The ccxt module, imported on first use: a runner that never starts this broker does not load ccxt. */
export type Ccxt = typeof import('ccxt');

/**
 * ccxt clients for the venue's private API, with the keys, the sandbox switch and replaced hosts: `client` for
 * orders, `poller` for polling and reconciliation's questions, and with `config.stream` `streamer` (ccxt pro) for the
 * private stream. Each has its own rate limiting, so an order never waits behind a poll.
 */
export async function createVenueClient(config: CcxtBrokerConfig): Promise<{ ccxt: Ccxt; client: Exchange; poller: Exchange; streamer: Exchange | undefined }> {
  const ccxt = await import('ccxt');
  // ccxt's limiter credits no idle time: every order would wait out the cost of the one before, ~10 ms. Orders are
  // few; a venue's 429 is handled (looked up, then sent once), so orders go unthrottled and the asking is throttled.
  const client = configure(new ccxt[config.exchange]({ ...options(config), enableRateLimit: false }) as Exchange, config);
  const poller = configure(new ccxt[config.exchange](options(config)) as Exchange, config);
  const streamer = config.stream ? quietFutures(configure(new ccxt.pro[config.exchange](options(config)) as unknown as Exchange, config)) : undefined;
  const ws = config.urls?.ws;
  if (streamer !== undefined && ws !== undefined) {
    ((streamer.urls['api'] as Record<string, Record<string, Record<string, string>>>)['ws']!['ws-api']!)['spot'] = ws;
    // ccxt opens a plain ws:// socket (a local test exchange) only through an HTTP agent it is told to load.
    if (ws.startsWith('ws://')) await (streamer as unknown as { loadHttpProxyAgent(): Promise<unknown> }).loadHttpProxyAgent();
  }
  return { ccxt, client, poller, streamer };
}

function options(config: CcxtBrokerConfig) {
  return {
    apiKey: config.apiKey,
    secret: config.secret,
    enableRateLimit: true,
    timeout: config.requestTimeoutMs,
    // No currency list or margin pairs: Binance serves them from signed wallet and margin endpoints a spot trading key
    // may not be allowed, and a spot broker needs neither.
    options: { defaultType: 'spot', recvWindow: config.recvWindowMs, fetchMarkets: { types: ['spot'] }, fetchCurrencies: false, fetchMargins: false },
  };
}

function configure(client: Exchange, config: CcxtBrokerConfig): Exchange {
  if (config.sandbox) client.setSandboxMode(true);
  const rest = config.urls?.rest;
  if (rest !== undefined) {
    const base = rest.replace(/\/+$/, '');
    const api = client.urls['api'] as Record<string, unknown>;
    for (const [name, url] of Object.entries(api)) {
      if (typeof url === 'string') api[name] = url.replace(config.sandbox ? TESTNET_REST_HOST : REST_HOST, base);
    }
  }
  return client;
}

type Future = Promise<unknown>;
type WsClient = { future(hash: string): Future; quiet?: true };

/**
 * ccxt pro rejects every future of a socket that fails or closes, including ones it made for itself and nobody
 * awaits (its user-data authentication makes one ahead of the request): each such rejection would be an unhandled
 * rejection, which ends a Node process. Every future gets a no-op handler here; whoever awaits one still sees its
 * rejection.
 */
function quietFutures(streamer: Exchange): Exchange {
  const target = streamer as unknown as { client(url: string): WsClient };
  const open = target.client.bind(target);
  target.client = (url: string) => {
    const client = open(url);
    if (client.quiet !== true) {
      const make = client.future.bind(client);
      client.future = (hash: string) => {
        const future = make(hash);
        future.catch(() => undefined);
        return future;
      };
      client.quiet = true;
    }
    return client;
  };
  return streamer;
}
