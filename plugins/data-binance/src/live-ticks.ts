import type { LiveTicksRequest, Tick } from '@trading-orchestrator/plugin-api';
import { socketWakeUps, type StreamSocketOptions } from './socket-wake-ups.js';

export type LiveTicksOptions = StreamSocketOptions;

interface CcxtTrade {
  readonly id?: string | undefined;
  readonly timestamp?: number | undefined;
  readonly price?: number | undefined;
  readonly amount?: number | undefined;
  readonly side?: string | undefined;
}

/** A tick from a ccxt trade, or undefined for one without a price, size or time. */
export function tradeToTick(symbol: string, trade: CcxtTrade): Tick | undefined {
  const { price, amount, timestamp } = trade;
  if (!(typeof price === 'number' && price > 0) || !(typeof amount === 'number' && amount > 0) || typeof timestamp !== 'number') return undefined;
  return { symbol, time: timestamp, price, size: amount, ...(trade.side === 'buy' || trade.side === 'sell' ? { side: trade.side } : {}) };
}

/**
 * Trade prints from Binance's trade stream, each once, in order, reconnecting like the kline stream. ccxt keeps the
 * latest trades per symbol in a cache; each wake-up yields those after the last one yielded (by trade id).
 */
export async function* streamTicks(options: LiveTicksOptions, request: LiveTicksRequest): AsyncGenerator<Tick> {
  const lastId = new Map<string, number>();
  const wakeUps = socketWakeUps((client) => client.watchTradesForSymbols([...request.symbols]), { ...options, what: 'trade stream', signal: request.signal, onInterrupted: () => undefined });
  for await (const client of wakeUps) {
    for (const symbol of request.symbols) {
      const trades = (client.trades[symbol] ?? []) as readonly CcxtTrade[];
      const seen = lastId.get(symbol) ?? Number.NEGATIVE_INFINITY;
      for (const trade of trades) {
        const id = Number(trade.id);
        if (!(id > seen)) continue;
        lastId.set(symbol, id);
        const tick = tradeToTick(symbol, trade);
        if (tick !== undefined) yield tick;
      }
    }
  }
}
