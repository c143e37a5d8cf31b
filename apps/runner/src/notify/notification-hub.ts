import type { EventBus, PluginManager } from '@trading-orchestrator/core-manager';
import { HookFailedError, type Notification, type NotificationKind, type Notifier } from '@trading-orchestrator/plugin-api';

/** One notifier of the session, as the run file configures it. */
export interface NotifierRoute {
  readonly id: string;
  readonly events: readonly NotificationKind[];
  /** Deliveries tried after the first fails, each after twice the wait of the one before. */
  readonly retries: number;
  readonly retryDelayMs: number;
}

/** Notifications waiting per notifier beyond which the oldest are dropped (a webhook down for hours). */
const QUEUE_LIMIT = 1_000;
/** How long one delivery may take before it counts as failed. */
const DELIVERY_MS = 30_000;

const money = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(2)}`;

/**
 * Turns a session's events into notifications and hands them to its notifier plugins, off the trading path: each
 * notifier has its own queue, worked one delivery at a time, and a failed delivery is tried again with backoff. What
 * cannot be delivered is dropped and reported as the notifier's hook failure (shown in the summary, journaled);
 * nothing here is awaited by a bar.
 */
export class NotificationHub {
  private readonly queues = new Map<string, Notification[]>();
  private readonly working = new Map<string, Promise<void>>();
  private bars = 0;
  private equity: number | undefined;
  delivered = 0;
  dropped = 0;

  constructor(
    private readonly bus: EventBus,
    private readonly manager: PluginManager,
    private readonly routes: readonly NotifierRoute[],
    private readonly currency: string,
  ) {}

  attach(): () => void {
    const { bus } = this;
    const off = [
      bus.subscribe('bar', () => void this.bars++),
      bus.subscribe('equity', (e) => {
        if (e.strategyId === undefined) this.equity = e.equity;
      }),
      bus.subscribe('trade', (t) =>
        this.send({ kind: 'trade', level: 'info', time: t.exitTime, title: `${t.strategyId} closed ${t.direction} ${t.symbol}: ${money(t.pnl)} ${this.currency}`, text: `quantity ${t.quantity}, fees ${t.fees.toFixed(2)}, from ${new Date(t.entryTime).toISOString()} to ${new Date(t.exitTime).toISOString()}${t.exitReason === undefined ? '' : `, closed by ${t.exitReason}`}`, data: { ...t } }),
      ),
      bus.subscribe('risk', (e) => {
        if (e.level === 'info') return;
        this.send({ kind: 'risk', level: e.level === 'warning' ? 'warning' : 'critical', time: e.time, title: `${e.pluginId}: ${e.code}${e.symbol === undefined ? '' : ` (${e.symbol})`}`, text: e.message, data: { ...e } });
      }),
      bus.subscribe('lifecycle', (t) => {
        if ((t.to === 'disabled' || t.to === 'error') && !this.routes.some((r) => r.id === t.pluginId)) this.send({ kind: 'plugin', level: 'warning', time: t.time, title: `plugin ${t.pluginId} is ${t.to === 'error' ? 'failed' : 'disabled'}`, text: t.reason, data: { ...t } });
      }),
    ];
    return () => {
      for (const o of off) o();
    };
  }

  /** The session's end (`how`: finished, interrupted…), then waits up to `waitMs` for what is queued to go out. */
  async end(how: string, waitMs = 10_000): Promise<void> {
    const equity = this.equity === undefined ? 'no bar traded' : `equity ${this.equity.toFixed(2)} ${this.currency}`;
    this.send({ kind: 'session', level: 'info', time: Date.now(), title: `session ended: ${how}`, text: `${this.bars} bars; ${equity}`, data: { bars: this.bars, equity: this.equity ?? null, how } });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...this.working.values()]), new Promise((r) => (timer = setTimeout(r, waitMs)))]);
    clearTimeout(timer);
  }

  private send(notification: Notification): void {
    for (const route of this.routes) {
      if (!route.events.includes(notification.kind)) continue;
      const queue = this.queues.get(route.id) ?? [];
      this.queues.set(route.id, queue);
      queue.push(notification);
      if (queue.length > QUEUE_LIMIT) {
        queue.shift();
        this.dropped++;
      }
      if (!this.working.has(route.id)) this.working.set(route.id, this.work(route, queue).finally(() => this.working.delete(route.id)));
    }
  }

  private async work(route: NotifierRoute, queue: Notification[]): Promise<void> {
    while (queue.length > 0) {
      const notification = queue[0]!;
      let error: Error | undefined;
      for (let attempt = 0; attempt <= route.retries; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, route.retryDelayMs * 2 ** (attempt - 1)));
        const notifier = this.manager.get(route.id);
        if (notifier?.machine.state !== 'active' || notifier.instance === undefined) {
          error = new Error(`the notifier is ${notifier?.machine.state ?? 'gone'}`);
          break;
        }
        error = await deliver(notifier.instance as Notifier, notification);
        if (error === undefined) break;
      }
      queue.shift();
      if (error === undefined) this.delivered++;
      else {
        this.dropped++;
        this.bus.publish('hook-failure', { pluginId: route.id, hook: 'notify', error: new HookFailedError(`notification "${notification.title}" dropped after ${route.retries + 1} tries: ${error.message}`, { pluginId: route.id, hook: 'notify' }), consecutiveFailures: 1, totalFailures: this.dropped });
      }
    }
  }
}

async function deliver(notifier: Notifier, notification: Notification): Promise<Error | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([Promise.resolve().then(() => notifier.notify(notification)), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${DELIVERY_MS / 1000} s`)), DELIVERY_MS)))]);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  } finally {
    clearTimeout(timer);
  }
}
