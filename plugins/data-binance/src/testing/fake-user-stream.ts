import type { WebSocket } from 'ws';
import type { FakeBinanceAccount } from './fake-binance-account.js';

/** What the user-data stream does to the next execution reports, for tests of a client's resilience. */
export type UserStreamFault =
  /** Each of the next `count` reports is sent twice. */
  | { readonly kind: 'duplicate'; readonly count: number }
  /** The next `count` reports are held, then sent newest first. */
  | { readonly kind: 'reverse'; readonly count: number };

/**
 * Binance's user data stream over its WebSocket API (`/ws-api/v3`): a client subscribes with
 * `userDataStream.subscribe.signature` (apiKey, timestamp, recvWindow and an HMAC-SHA256 signature of them, checked
 * as the REST endpoints' are) and then receives each execution report as `{ subscriptionId, event }`. Faults:
 * duplicated and reordered reports, and sockets cut without a close frame.
 */
export class FakeUserStream {
  private readonly subscribed = new Map<WebSocket, number>();
  private readonly waiting: (() => void)[] = [];
  private nextSubscription = 0;
  private fault: { kind: UserStreamFault['kind']; left: number; held: unknown[] } | undefined;

  constructor(private readonly account: FakeBinanceAccount) {
    const earlier = account.onExecution;
    account.onExecution = (report) => {
      earlier(report);
      this.publish(report);
    };
  }

  /** Serves one WebSocket API connection. */
  accept(socket: WebSocket): void {
    socket.on('close', () => this.subscribed.delete(socket));
    socket.on('message', (data) => {
      let request: { id?: unknown; method?: unknown; params?: Record<string, unknown> };
      try {
        request = JSON.parse(String(data)) as typeof request;
      } catch {
        socket.send(JSON.stringify({ id: null, status: 400, error: { code: -1100, msg: 'Illegal characters found in a parameter.' } }));
        return;
      }
      const { id } = request;
      if (request.method !== 'userDataStream.subscribe.signature') {
        socket.send(JSON.stringify({ id, status: 400, error: { code: -1100, msg: `Unknown method ${String(request.method)}.` } }));
        return;
      }
      const params = Object.fromEntries(Object.entries(request.params ?? {}).map(([k, v]) => [k, String(v)]));
      // The WebSocket API signs the sorted parameters, apiKey among them.
      const signed = Object.keys(params).filter((k) => k !== 'signature').sort().map((k) => `${k}=${params[k]!}`).join('&');
      const refused = this.account.authenticate(params['apiKey'], `${signed}&signature=${params['signature'] ?? ''}`, params);
      if (refused !== undefined) {
        const { code, msg } = refused.body as { code: number; msg: string };
        socket.send(JSON.stringify({ id, status: refused.status, error: { code, msg } }));
        return;
      }
      const subscriptionId = this.nextSubscription++;
      this.subscribed.set(socket, subscriptionId);
      socket.send(JSON.stringify({ id, status: 200, result: { subscriptionId } }));
      for (const resolve of this.waiting.splice(0)) resolve();
    });
  }

  /** How many clients are subscribed now. */
  get subscribers(): number {
    return this.subscribed.size;
  }

  /** Resolves once a client is subscribed. */
  whenSubscribed(): Promise<void> {
    return this.subscribed.size > 0 ? Promise.resolve() : new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Stages a fault for the next reports. */
  fail(fault: UserStreamFault): void {
    this.fault = { kind: fault.kind, left: fault.count, held: [] };
  }

  /** Cuts every subscribed socket without a close frame; reports made meanwhile reach no one. */
  drop(): void {
    for (const socket of this.subscribed.keys()) socket.terminate();
    this.subscribed.clear();
  }

  private publish(report: unknown): void {
    const fault = this.fault;
    if (fault === undefined) return this.send(report);
    fault.left--;
    if (fault.kind === 'duplicate') {
      this.send(report);
      this.send(report);
    } else {
      fault.held.push(report);
      if (fault.left === 0) for (const held of fault.held.reverse()) this.send(held);
    }
    if (fault.left === 0) this.fault = undefined;
  }

  private send(report: unknown): void {
    for (const [socket, subscriptionId] of this.subscribed) socket.send(JSON.stringify({ subscriptionId, event: report }));
  }
}
