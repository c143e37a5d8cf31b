import { readdirSync, readFileSync } from 'node:fs';
import { testDataDir, testDataFile } from '@trading-orchestrator/testdata';

interface Recording {
  readonly request: { readonly url: string };
  readonly response: { readonly status: number; readonly statusText: string; readonly headers: Record<string, string | string[]>; readonly bodyJson?: unknown; readonly body?: string };
}

/** The recorded yahoo-finance2 HTTP fixtures in the repository's testdata/yahoo. */
const recordings: Recording[] = readdirSync(`${testDataDir()}/yahoo`).map((f) => JSON.parse(readFileSync(testDataFile(`yahoo/${f}`), 'utf8')) as Recording);

export type Fault = { status: number; retryAfter?: string } | 'malformed-json' | 'truncated' | 'network-error' | 'stall';

export interface ReplayFetch {
  readonly fetch: typeof fetch;
  /** URLs asked for, in order. */
  readonly calls: string[];
  /** When each call was made (Date.now()). */
  readonly times: number[];
  /** The next requests to a path containing `pathPart` fail this way, one fault per request. */
  fail(pathPart: string, ...faults: Fault[]): void;
}

/**
 * A fetch answering as Yahoo did when the fixtures were recorded. A chart request gets the recording for the same
 * symbol and interval whose period overlaps the one asked (whole: the plugin must cut the range itself), or Yahoo's
 * real 404 answer for a symbol with none. The cookie and crumb handshake yahoo-finance2 performs before a quote is
 * answered with a cookie and the redacted crumb of the recording.
 */
export function replayYahoo(): ReplayFetch {
  const calls: string[] = [];
  const times: number[] = [];
  const faults: { pathPart: string; fault: Fault }[] = [];
  const body = (r: Recording) => (r.response.body ?? JSON.stringify(r.response.bodyJson));
  const replay = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    calls.push(url.href);
    times.push(Date.now());
    const i = faults.findIndex((f) => url.pathname.includes(f.pathPart));
    const fault = i >= 0 ? faults.splice(i, 1)[0]!.fault : undefined;
    if (fault === 'network-error') throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNRESET'), { code: 'ECONNRESET' }) });
    if (fault === 'stall') {
      return new Promise((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason as Error)));
    }
    if (typeof fault === 'object') return new Response('{"finance":{"result":null,"error":{"code":"Too Many Requests"}}}', { status: fault.status, headers: fault.retryAfter ? { 'retry-after': fault.retryAfter } : {} });
    if (url.hostname === 'finance.yahoo.com') return new Response('<html></html>', { status: 200, headers: { 'set-cookie': 'A3=recorded; Domain=.yahoo.com; Path=/; Max-Age=31557600; Secure' } });
    if (url.pathname === '/v1/test/getcrumb') return new Response('REDACTED', { status: 200, headers: { 'content-type': 'text/plain' } });
    const match = recordings.find((r) => {
      const rec = new URL(r.request.url);
      if (rec.pathname !== url.pathname) return false;
      if (url.pathname.startsWith('/v7/finance/quote')) return rec.searchParams.get('symbols') === url.searchParams.get('symbols');
      const overlaps = Number(rec.searchParams.get('period1')) < Number(url.searchParams.get('period2')) && Number(url.searchParams.get('period1')) < Number(rec.searchParams.get('period2'));
      return rec.searchParams.get('interval') === url.searchParams.get('interval') && overlaps;
    });
    const sameSeries = recordings.find((r) => new URL(r.request.url).pathname === url.pathname && new URL(r.request.url).searchParams.get('interval') === url.searchParams.get('interval'));
    if (match === undefined && sameSeries !== undefined) {
      // A known symbol over a period without trading: Yahoo answers with the meta and no rows.
      const chart = JSON.parse(body(sameSeries)) as { chart: { result: { meta: unknown }[] } };
      return new Response(JSON.stringify({ chart: { result: [{ meta: chart.chart.result[0]!.meta, indicators: { quote: [{}] } }], error: null } }), { status: 200, headers: { 'content-type': 'application/json;charset=utf-8' } });
    }
    if (match === undefined) {
      return new Response(JSON.stringify({ chart: { result: null, error: { code: 'Not Found', description: 'No data found, symbol may be delisted' } } }), { status: 404, headers: { 'content-type': 'application/json;charset=utf-8' } });
    }
    let text = body(match);
    if (fault === 'malformed-json') text = text.slice(0, 200) + '<!-- cut -->';
    if (fault === 'truncated') text = text.slice(0, Math.floor(text.length / 2));
    return new Response(text, { status: match.response.status, statusText: match.response.statusText, headers: { 'content-type': 'application/json;charset=utf-8' } });
  };
  return {
    fetch: replay as typeof fetch,
    calls,
    times,
    fail: (pathPart, ...more) => faults.push(...more.map((fault) => ({ pathPart, fault }))),
  };
}
