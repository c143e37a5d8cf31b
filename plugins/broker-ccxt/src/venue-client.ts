import type { Exchange } from 'ccxt';
import type { CcxtBrokerConfig } from './config.js';

const REST_HOST = /^https:\/\/api\.binance\.com/;
const TESTNET_REST_HOST = /^https:\/\/testnet\.binance\.vision/;

/** The ccxt module, imported on first use: a runner that never starts this broker does not load ccxt. */
export type Ccxt = typeof import('ccxt');

/** A ccxt client for the venue's private API, with the keys, the sandbox switch and a replaced REST host. */
export async function createVenueClient(config: CcxtBrokerConfig): Promise<{ ccxt: Ccxt; client: Exchange }> {
  const ccxt = await import('ccxt');
  const client = new ccxt[config.exchange]({
    apiKey: config.apiKey,
    secret: config.secret,
    enableRateLimit: true,
    timeout: config.requestTimeoutMs,
    // No currency list or margin pairs: Binance serves them from signed wallet and margin endpoints a spot trading key
    // may not be allowed, and a spot broker needs neither.
    options: { defaultType: 'spot', recvWindow: config.recvWindowMs, fetchMarkets: { types: ['spot'] }, fetchCurrencies: false, fetchMargins: false },
  }) as Exchange;
  if (config.sandbox) client.setSandboxMode(true);
  const rest = config.urls?.rest;
  if (rest !== undefined) {
    const base = rest.replace(/\/+$/, '');
    const api = client.urls['api'] as Record<string, unknown>;
    for (const [name, url] of Object.entries(api)) {
      if (typeof url === 'string') api[name] = url.replace(config.sandbox ? TESTNET_REST_HOST : REST_HOST, base);
    }
  }
  return { ccxt, client };
}
