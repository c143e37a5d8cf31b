/** ioredis options for a `redis://[user:password@]host[:port][/db]` URL; undefined for anything else. */
export function redisOptions(url: string): { host: string; port: number; db: number; username?: string; password?: string; maxRetriesPerRequest: null } | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'redis:' || parsed.hostname === '') return undefined;
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0) return undefined;
  return {
    host: parsed.hostname,
    port: parsed.port === '' ? 6379 : Number(parsed.port),
    db,
    ...(parsed.username === '' ? {} : { username: decodeURIComponent(parsed.username) }),
    ...(parsed.password === '' ? {} : { password: decodeURIComponent(parsed.password) }),
    // A BullMQ worker blocks on Redis; ioredis must not give up on its commands while it does.
    maxRetriesPerRequest: null,
  };
}

/** The URL as it may be printed: without its password. */
export function printableUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString();
  } catch {
    return '(not a URL)';
  }
}

/** The queue every coordinator and worker of trading-orchestrator's sweeps uses. */
export const TRIAL_QUEUE = 'trading-orchestrator-trials';
