import { DataUnavailableError, nearestNames, type InstrumentSpec, type Timeframe } from '@trading-orchestrator/plugin-api';
import type { pro } from 'ccxt';
import type { BinanceSourceConfig } from './config.js';

export type BinanceClient = InstanceType<typeof pro.binance>;

const REST_HOST = /^https:\/\/api\.binance\.com/;
const TESTNET_REST_HOST = /^https:\/\/testnet\.binance\.vision/;

/**
 * A ccxt Binance client for spot market data. ccxt is imported here, on first use, so a runner that never starts
 * this plugin does not pay for loading it.
 */
export async function createClient(config: BinanceSourceConfig): Promise<BinanceClient> {
  const ccxt = await import('ccxt');
  const client = new ccxt.pro.binance({
    enableRateLimit: true,
    rateLimit: config.rateLimitMs,
    timeout: config.requestTimeoutMs,
    ...(config.apiKey === undefined || config.secret === undefined ? {} : { apiKey: config.apiKey, secret: config.secret }),
    options: { fetchMarkets: { types: ['spot'] }, defaultType: 'spot' },
  });
  if (config.testnet) client.setSandboxMode(true);
  // ccxt hands an unparsable JSON body on as text, which fetchOHLCV turns into an empty page: the end of the
  // history, silently. Raise it as ccxt's BadResponse instead, which the retry logic treats as transient.
  const parseJson = client.parseJson.bind(client);
  client.parseJson = (text: string): unknown => {
    const value: unknown = parseJson(text);
    if (value === undefined && /^\s*[[{]/.test(text)) throw new ccxt.BadResponse(`${client.id} sent an unreadable JSON body (${text.length} bytes, starting ${JSON.stringify(text.slice(0, 40))})`);
    return value;
  };
  const { rest, ws } = config.urls ?? {};
  if (rest !== undefined) {
    const base = rest.replace(/\/+$/, '');
    const api = client.urls['api'] as Record<string, unknown>;
    for (const [name, url] of Object.entries(api)) {
      if (typeof url === 'string') api[name] = url.replace(config.testnet ? TESTNET_REST_HOST : REST_HOST, base);
    }
  }
  if (ws !== undefined) {
    (client.urls['api'] as { ws: Record<string, unknown> }).ws['spot'] = ws.replace(/\/+$/, '');
    // ccxt refuses plain ws:// until it has an HTTP agent for it.
    if (ws.startsWith('ws://')) await client.loadHttpProxyAgent();
  }
  return client;
}

/** The unified symbol (`BTC/USDT`) for `symbol`, or an error naming the nearest listed ones. */
export function checkSymbol(client: BinanceClient, symbol: string, pluginId: string, path = 'symbol'): string {
  if (client.markets?.[symbol] !== undefined) return symbol;
  const known = Object.keys(client.markets ?? {});
  const byId = client.markets_by_id?.[symbol.toUpperCase()]?.[0]?.symbol;
  const nearest = byId !== undefined ? [byId] : nearestNames(symbol.toUpperCase(), known);
  throw new DataUnavailableError(`Binance lists no spot market "${symbol}"${nearest.length > 0 ? ` (did you mean ${nearest.join(', ')}?)` : ''}`, {
    pluginId,
    path,
    hint: `use a unified symbol as BASE/QUOTE, e.g. ${nearest[0] ?? known[0] ?? 'BTC/USDT'}`,
  });
}

export function checkTimeframe(client: BinanceClient, timeframe: Timeframe, pluginId: string): void {
  const supported = Object.keys(client.timeframes ?? {});
  if (supported.includes(timeframe)) return;
  throw new DataUnavailableError(`Binance has no ${timeframe} candles`, { pluginId, path: 'timeframe', hint: `use one of ${supported.join(', ')}` });
}

/** What ccxt says of a market, as far as orders go. */
interface MarketRules {
  readonly precision?: { readonly amount?: number | undefined; readonly price?: number | undefined };
  readonly limits?: { readonly amount?: { readonly min?: number | undefined; readonly max?: number | undefined }; readonly cost?: { readonly min?: number | undefined } };
  readonly contractSize?: number | undefined;
}

const positive = (x: number | undefined): number | undefined => (x !== undefined && Number.isFinite(x) && x > 0 ? x : undefined);

/**
 * A market's lot and tick sizes and minimum order, from Binance's filters as ccxt reads them (LOT_SIZE,
 * PRICE_FILTER, MIN_NOTIONAL). ccxt 4 gives Binance's precision as step sizes (its TICK_SIZE mode), not decimals.
 */
export function instrumentOf(symbol: string, market: MarketRules): InstrumentSpec {
  const spec: Record<string, number> = {};
  const set = (name: keyof InstrumentSpec, value: number | undefined) => {
    const v = positive(value);
    if (v !== undefined) spec[name] = v;
  };
  set('lotSize', market.precision?.amount);
  set('tickSize', market.precision?.price);
  set('minQuantity', market.limits?.amount?.min);
  set('maxQuantity', market.limits?.amount?.max);
  set('minNotional', market.limits?.cost?.min);
  set('multiplier', market.contractSize);
  return { symbol, ...spec };
}
