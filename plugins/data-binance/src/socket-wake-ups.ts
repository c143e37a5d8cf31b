import { setTimeout as sleep } from 'node:timers/promises';
import type { PluginLogger } from '@trading-orchestrator/plugin-api';
import type { BinanceClient } from './exchange.js';
import { backoffDelay, failureKind, type Backoff } from './retry.js';

class StreamStalled extends Error {}

/** Resolves with `promise`, or rejects when it has not settled within `ms` or `signal` aborts. */
async function within<T>(promise: Promise<T>, ms: number, signal: AbortSignal): Promise<T> {
  promise.catch(() => undefined);
  // A controller held here, with the stream's signal forwarded by hand: a signal from AbortSignal.any() can be
  // garbage-collected while it waits, and a stopped stream would then sit out the whole stall time.
  const timer = new AbortController();
  const forward = () => timer.abort(signal.reason);
  signal.addEventListener('abort', forward, { once: true });
  try {
    return await Promise.race([
      promise,
      sleep(ms, undefined, { signal: timer.signal }).then(() => {
        throw new StreamStalled(`no message for ${ms} ms`);
      }),
    ]);
  } finally {
    signal.removeEventListener('abort', forward);
    timer.abort();
  }
}

/** What a websocket stream needs to open, replace and close its ccxt clients. */
export interface StreamSocketOptions {
  /** A fresh client with markets loaded; each reconnection gets a new one. */
  readonly open: () => Promise<BinanceClient>;
  readonly close: (client: BinanceClient) => Promise<void>;
  readonly reconnect: Backoff;
  readonly stallTimeoutMs: number;
  readonly logger: PluginLogger;
}

export interface WakeUpOptions extends StreamSocketOptions {
  readonly signal: AbortSignal;
  /** Names the stream in log lines. */
  readonly what: string;
  /** Called when the socket dropped or stalled, before reconnecting. */
  readonly onInterrupted: () => void;
}

/**
 * One wake-up per message on a ccxt websocket subscription, until `signal` aborts; each gives the client whose
 * cache holds the data. A dropped socket (ccxt's NetworkError) or one silent for `stallTimeoutMs` is abandoned,
 * and a new client subscribes after an exponential backoff, for as long as the stream runs. An error that
 * retrying cannot cure (a bad symbol, a rejected subscription) is thrown.
 */
export async function* socketWakeUps(watch: (client: BinanceClient) => Promise<unknown>, options: WakeUpOptions): AsyncGenerator<BinanceClient> {
  const { logger, signal } = options;
  let failures = 0;
  let client = await options.open();
  try {
    while (!signal.aborted) {
      try {
        await within(watch(client), options.stallTimeoutMs, signal);
      } catch (error) {
        if (signal.aborted) return;
        if (!(error instanceof StreamStalled) && failureKind(error) === 'permanent') throw error;
        const delayMs = backoffDelay(failures++, options.reconnect);
        logger.warn(`Binance ${options.what} interrupted (${(error as Error).message}); reconnecting in ${delayMs} ms`, { attempt: failures, delayMs });
        options.onInterrupted();
        // A stalled socket may still look open to ccxt, which may go on waiting on it: start over with a new client.
        await options.close(client);
        try {
          await sleep(delayMs, undefined, { signal });
        } catch {
          return;
        }
        client = await options.open();
        continue;
      }
      failures = 0;
      yield client;
    }
  } finally {
    await options.close(client);
  }
}
