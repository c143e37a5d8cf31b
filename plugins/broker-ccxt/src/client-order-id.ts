import { createHash } from 'node:crypto';

/** What Binance takes as a client order id. */
const ALLOWED = /^[.A-Z:/a-z0-9_-]{1,36}$/;

/**
 * The venue's client order id for the host's order id: the id itself when the venue takes it, else a digest of it.
 * Deterministic, so a restarted session finds its orders at the venue by the ids in its journal.
 */
export function clientOrderIdOf(orderId: string): string {
  if (ALLOWED.test(orderId)) return orderId;
  return `to-${createHash('sha256').update(orderId).digest('hex').slice(0, 32)}`;
}
