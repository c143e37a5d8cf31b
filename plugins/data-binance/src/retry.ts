import { setTimeout as sleep } from 'node:timers/promises';

export interface Backoff {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/** How a failed exchange call should be treated, from ccxt's error hierarchy. */
export type FailureKind = 'rate-limited' | 'transient' | 'permanent';

function classNames(error: unknown): string[] {
  const names: string[] = [];
  for (let proto = error === null || typeof error !== 'object' ? null : Object.getPrototypeOf(error); proto !== null && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    names.push((proto as { constructor: { name: string } }).constructor.name);
  }
  return names;
}

/**
 * ccxt raises DDoSProtection or RateLimitExceeded for 418/429, other NetworkErrors for 5xx, time-outs and dropped
 * connections, and BadResponse for a body it cannot read: all worth another try. Everything else (a bad symbol,
 * a rejected request, a bug) is not.
 */
export function failureKind(error: unknown): FailureKind {
  const names = classNames(error);
  if (names.includes('DDoSProtection') || names.includes('RateLimitExceeded')) return 'rate-limited';
  if (names.includes('OperationFailed')) return 'transient';
  return 'permanent';
}

/** Milliseconds the server asked us to wait (Retry-After as seconds or an HTTP date), if it said. */
export function retryAfterMs(headers: Readonly<Record<string, unknown>> | undefined, now = Date.now()): number | undefined {
  if (headers === undefined) return undefined;
  const entry = Object.entries(headers).find(([name]) => name.toLowerCase() === 'retry-after');
  if (entry === undefined) return undefined;
  const value = String(entry[1]).trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff with ±20% jitter, so many clients do not retry in lockstep. */
export function backoffDelay(attempt: number, backoff: Backoff, random = Math.random): number {
  const raw = Math.min(backoff.maxDelayMs, backoff.baseDelayMs * 2 ** attempt);
  return Math.round(raw * (0.8 + 0.4 * random()));
}

export interface RetryOptions extends Backoff {
  readonly max: number;
  readonly signal?: AbortSignal | undefined;
  /** Headers of the last response, for Retry-After. */
  readonly lastHeaders: () => Readonly<Record<string, unknown>> | undefined;
  /** Told about each retry before its wait. */
  readonly onRetry: (info: { attempt: number; delayMs: number; error: unknown; kind: FailureKind }) => void;
}

export class RetriesExhausted extends Error {
  constructor(readonly attempts: number, override readonly cause: unknown) {
    super(`gave up after ${attempts} attempts: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/** Runs `call` until it succeeds, a permanent error occurs (rethrown as is), or the retries run out. */
export async function withRetries<T>(call: () => Promise<T>, options: RetryOptions): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const kind = failureKind(error);
      if (kind === 'permanent' || options.signal?.aborted === true) throw error;
      if (attempt >= options.max) throw new RetriesExhausted(attempt + 1, error);
      const asked = kind === 'rate-limited' ? retryAfterMs(options.lastHeaders()) : undefined;
      // The server's Retry-After wins over our own schedule, even past maxDelayMs: retrying sooner only earns a ban.
      const delayMs = asked ?? backoffDelay(attempt, options);
      options.onRetry({ attempt: attempt + 1, delayMs, error, kind });
      await sleep(delayMs, undefined, options.signal === undefined ? {} : { signal: options.signal });
    }
  }
}
