import type { EventMap, Topic } from './event-map.js';

type Handler<T extends Topic> = (payload: EventMap[T]) => void;
type AnyHandler = <T extends Topic>(topic: T, payload: EventMap[T]) => void;

interface Subscription {
  readonly handler: (payload: never) => void;
  readonly owner: string | undefined;
}

interface AnySubscription {
  readonly handler: AnyHandler;
  readonly owner: string | undefined;
}

/**
 * Synchronous, typed publish/subscribe. Handler lists are copied on change, never on publish, so dispatch
 * allocates nothing and a handler may unsubscribe mid-dispatch. A throwing handler is reported on
 * `handler-error` and the others still run.
 */
export class EventBus {
  private readonly byTopic = new Map<Topic, readonly Subscription[]>();
  private anyHandlers: readonly AnySubscription[] = [];
  private reportingHandlerError = false;
  private changeCount = 0;

  /**
   * How many times the subscriptions have changed. A publisher on a hot path may remember `hasSubscribers` and
   * ask again only when this moves.
   */
  get changes(): number {
    return this.changeCount;
  }

  subscribe<T extends Topic>(topic: T, handler: Handler<T>, owner?: string): () => void {
    const subscription: Subscription = { handler: handler as (payload: never) => void, owner };
    this.byTopic.set(topic, [...(this.byTopic.get(topic) ?? []), subscription]);
    this.changeCount++;
    return () => {
      const list = this.byTopic.get(topic);
      if (list !== undefined) this.byTopic.set(topic, list.filter((s) => s !== subscription));
      this.changeCount++;
    };
  }

  /** Every event on every topic, e.g. for the journal. */
  subscribeAll(handler: AnyHandler, owner?: string): () => void {
    const subscription: AnySubscription = { handler, owner };
    this.anyHandlers = [...this.anyHandlers, subscription];
    this.changeCount++;
    return () => {
      this.anyHandlers = this.anyHandlers.filter((s) => s !== subscription);
      this.changeCount++;
    };
  }

  /** Whether anyone listens, so publishers can skip building a payload nobody reads. */
  hasSubscribers(topic: Topic): boolean {
    return this.anyHandlers.length > 0 || (this.byTopic.get(topic)?.length ?? 0) > 0;
  }

  publish<T extends Topic>(topic: T, payload: EventMap[T]): void {
    const list = this.byTopic.get(topic);
    if (list !== undefined) {
      for (let i = 0; i < list.length; i++) {
        const s = list[i]!;
        try {
          (s.handler as Handler<T>)(payload);
        } catch (error) {
          this.reportHandlerError(topic, s.owner, error);
        }
      }
    }
    const any = this.anyHandlers;
    for (let i = 0; i < any.length; i++) {
      const s = any[i]!;
      try {
        s.handler(topic, payload);
      } catch (error) {
        this.reportHandlerError(topic, s.owner, error);
      }
    }
  }

  /** Removes every subscription of an owner (a plugin being unloaded). Returns how many were removed. */
  removeOwner(owner: string): number {
    let removed = 0;
    for (const [topic, list] of this.byTopic) {
      const kept = list.filter((s) => s.owner !== owner);
      removed += list.length - kept.length;
      this.byTopic.set(topic, kept);
    }
    const keptAny = this.anyHandlers.filter((s) => s.owner !== owner);
    removed += this.anyHandlers.length - keptAny.length;
    this.anyHandlers = keptAny;
    if (removed > 0) this.changeCount++;
    return removed;
  }

  /** Live subscriptions, all or one owner's: what a leak test counts. */
  subscriptionCount(owner?: string): number {
    let count = 0;
    for (const list of this.byTopic.values()) count += owner === undefined ? list.length : list.filter((s) => s.owner === owner).length;
    count += owner === undefined ? this.anyHandlers.length : this.anyHandlers.filter((s) => s.owner === owner).length;
    return count;
  }

  private reportHandlerError(topic: Topic, owner: string | undefined, error: unknown): void {
    // A failing handler-error handler must not recurse.
    if (topic === 'handler-error' || this.reportingHandlerError) return;
    this.reportingHandlerError = true;
    try {
      this.publish('handler-error', { topic, owner, error });
    } finally {
      this.reportingHandlerError = false;
    }
  }
}
