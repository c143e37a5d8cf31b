import type { Bar } from '@trading-orchestrator/plugin-api';
import type { ConformanceVenue } from './broker-conformance.js';

export interface BarVenueOptions {
  /** The broker's config. */
  readonly config: unknown;
  readonly symbol?: string;
  /** Where the market trades at the start (default 100). */
  readonly price?: number;
  /** An order's quantity (default 10). */
  readonly quantity?: number;
  /** A quantity the broker rejects as more than the account can pay for; omit if it leaves that to the host. */
  readonly unaffordable?: number;
}

/**
 * The venue of a broker that fills against bars (the paper broker, a simulator): time passes as one-minute bars
 * at the price asked for (open, high, low and close all at it), each given to the broker's `onBar`.
 */
export function barVenue(options: BarVenueOptions): () => Promise<ConformanceVenue> {
  return async () => {
    const symbol = options.symbol ?? 'CONF/USD';
    let time = Math.floor(Date.now() / 60_000) * 60_000;
    return {
      config: options.config,
      symbol,
      price: options.price ?? 100,
      quantity: options.quantity ?? 10,
      ...(options.unaffordable === undefined ? {} : { unaffordable: options.unaffordable }),
      async pass(broker, price) {
        time += 60_000;
        const bar: Bar = { symbol, timeframe: '1m', time, open: price, high: price, low: price, close: price, volume: 1_000_000 };
        return (await broker.onBar?.(bar)) ?? undefined;
      },
      close: async () => undefined,
    };
  };
}
