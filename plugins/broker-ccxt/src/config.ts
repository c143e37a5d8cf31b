import { z } from 'zod';

export const ccxtBrokerConfig = z.object({
  /** The venue, by ccxt's id. Binance spot is the one this package is tested against. */
  exchange: z.enum(['binance']).default('binance'),
  /** Keys from the run file through `${ENV}`: never written in it. Never logged, printed, journaled or put in an error. */
  apiKey: z.string().min(1, 'the API key is empty: set it through an environment variable, e.g. apiKey: "${BINANCE_API_KEY}"'),
  secret: z.string().min(1, 'the secret is empty: set it through an environment variable, e.g. secret: "${BINANCE_SECRET}"'),
  /** The venue's test network (ccxt's sandbox mode): Binance's spot testnet. */
  sandbox: z.boolean().default(false),
  /**
   * Another host speaking the venue's protocol (a local test exchange, a recorder): `rest` replaces its REST base,
   * `ws` its WebSocket API (Binance's wss://ws-api.binance.com:443/ws-api/v3), where the private stream comes from.
   */
  urls: z.object({ rest: z.url().optional(), ws: z.url({ protocol: /^wss?$/ }).optional() }).strict().optional(),
  /**
   * Fills from the venue's private stream as they happen (Binance's user data stream, through ccxt's
   * watchMyTrades). Polling goes on beside it: it finds orders' ends, and whatever a dropped stream missed.
   */
  stream: z.boolean().default(true),
  /** How often working orders and new fills are polled. */
  pollMs: z.number().int().min(100).default(1_000),
  /** A request unanswered after this long is abandoned (and a submit looked up by its client order id). */
  requestTimeoutMs: z.number().int().min(200).default(10_000),
  /** How far the venue's clock may be from the request's timestamp (Binance's recvWindow). */
  recvWindowMs: z.number().int().min(1).max(60_000).default(5_000),
  /** For the host's buying-power checks before an order: the taker fee and the slippage a market order may see. */
  takerFeeBps: z.number().min(0).max(1_000).default(10),
  slippageBps: z.number().min(0).max(1_000).default(5),
  /** Lookups of an order whose submit got no answer, before it is taken as never placed. */
  lookupAttempts: z.number().int().min(1).max(20).default(4),
});

export type CcxtBrokerConfig = z.infer<typeof ccxtBrokerConfig>;
