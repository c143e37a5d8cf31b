import { z } from 'zod';

const backoff = z.object({
  /** Delay before the first retry; each further retry doubles it, up to `maxDelayMs`, with ±20% jitter. */
  baseDelayMs: z.number().int().min(0).default(500),
  maxDelayMs: z.number().int().min(0).default(30_000),
});

export const binanceSourceConfig = z
  .object({
    /** Optional API keys: public market data needs none. */
    apiKey: z.string().min(1).optional(),
    secret: z.string().min(1).optional(),
    /** Use Binance's spot testnet (ccxt sandbox mode). */
    testnet: z.boolean().default(false),
    /**
     * Point the client at another host speaking Binance's protocol (a proxy, a recorder, a local test server).
     * `rest` replaces `https://api.binance.com` (paths such as /api/v3/klines are kept), `ws` replaces the spot
     * stream base (`wss://stream.binance.com:9443/ws`).
     */
    urls: z.object({ rest: z.url().optional(), ws: z.url().optional() }).optional(),
    /** Minimum milliseconds between REST requests (ccxt's rate limiter). */
    rateLimitMs: z.number().int().min(0).default(50),
    /** A REST request that has not answered after this long is abandoned and retried. */
    requestTimeoutMs: z.number().int().min(100).default(10_000),
    /** Candles per REST request; Binance serves at most 1000. */
    pageSize: z.number().int().min(1).max(1000).default(1000),
    /** Retries of one REST request after 429/418, 5xx, time-outs, network errors and unreadable bodies. */
    retries: backoff.extend({ max: z.number().int().min(0).default(5) }).prefault({}),
    /** Reconnection of the websocket streams; they retry until the stream is stopped. */
    reconnect: backoff.prefault({}),
    /** A live stream that has delivered nothing for this long is treated as dropped and reconnected. */
    stallTimeoutMs: z.number().int().min(100).default(30_000),
  })
  .refine((c) => (c.apiKey === undefined) === (c.secret === undefined), { message: 'give both apiKey and secret, or neither', path: ['secret'] });

export type BinanceSourceConfig = z.infer<typeof binanceSourceConfig>;
