import { setTimeout as sleep } from 'node:timers/promises';
import type { PluginLogger } from '@trading-orchestrator/plugin-api';
import type { RequestPacer } from './request-pacer.js';

export interface ResilientFetchOptions {
  readonly pacer: RequestPacer;
  readonly timeoutMs: number;
  readonly retries: { readonly max: number; readonly baseDelayMs: number; readonly maxDelayMs: number };
  readonly logger: PluginLogger;
  readonly random?: () => number;
}

/** The last failure, when every retry of a request failed. */
export class YahooUnavailable extends Error {
  constructor(readonly url: string, readonly attempts: number, readonly reason: string) {
    super(`gave up after ${attempts} attempts: ${reason}`);
  }
}

function retryAfterMs(value: string | null): number | undefined {
  if (value === null) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Yahoo host and path, without the query (which carries the session crumb). */
function shortUrl(url: string): string {
  const u = new URL(url);
  return `${u.host}${u.pathname}`;
}

/**
 * Wraps `fetch` for yahoo-finance2: every request waits its turn on the shared pacer, has a time-out, and is
 * retried after 429 (as long as Retry-After asks), 5xx, network errors, time-outs, and a JSON body that does not
 * parse (truncated or malformed), so that yahoo-finance2 only ever sees a complete answer or a final one.
 */
export function resilientFetch(base: typeof fetch, options: ResilientFetchOptions): typeof fetch {
  const { pacer, retries, logger } = options;
  const random = options.random ?? Math.random;
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    let reason = '';
    for (let attempt = 0; ; attempt++) {
      let waitMs: number | undefined;
      await pacer.turn(init?.signal ?? undefined);
      // A controller of our own, held here until the request settles: a signal from AbortSignal.any() or
      // AbortSignal.timeout() can be garbage-collected while a request waits, and then never fires.
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(new DOMException(`no answer within ${options.timeoutMs} ms`, 'TimeoutError')), options.timeoutMs);
      const forward = () => controller.abort(init?.signal?.reason);
      init?.signal?.addEventListener('abort', forward, { once: true });
      try {
        const response = await base(input, { ...init, signal: controller.signal });
        if (response.status === 429 || response.status >= 500) {
          reason = `HTTP ${response.status} ${response.statusText}`.trim();
          waitMs = response.status === 429 ? retryAfterMs(response.headers.get('retry-after')) : undefined;
          await response.body?.cancel();
        } else {
          const text = await response.text();
          const json = (response.headers.get('content-type') ?? '').includes('json');
          if (!json || isJson(text)) return new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers });
          reason = `unreadable JSON body (${text.length} bytes)`;
        }
      } catch (error) {
        if (init?.signal?.aborted === true) throw error;
        const e = error as Error & { cause?: { code?: string } };
        reason = controller.signal.aborted ? `no answer within ${options.timeoutMs} ms` : `${e.message}${e.cause?.code ? ` (${e.cause.code})` : ''}`;
      } finally {
        clearTimeout(timer);
        init?.signal?.removeEventListener('abort', forward);
      }
      if (attempt >= retries.max) throw new YahooUnavailable(url, attempt + 1, reason);
      const delayMs = waitMs ?? Math.round(Math.min(retries.maxDelayMs, retries.baseDelayMs * 2 ** attempt) * (0.8 + 0.4 * random()));
      logger.warn(`Yahoo ${shortUrl(url)}: ${reason}; retry ${attempt + 1} of ${retries.max} in ${delayMs} ms`, { attempt: attempt + 1, delayMs });
      await sleep(delayMs, undefined, init?.signal ? { signal: init.signal } : {});
    }
  };
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
