import { describe, expect, it } from 'vitest';
import { bar } from '../../test/fixtures.js';
import { EventBus } from './event-bus.js';
import type { HandlerErrorEvent } from './event-map.js';

describe('event bus', () => {
  it('delivers typed payloads synchronously, per topic and to subscribe-all handlers', () => {
    const bus = new EventBus();
    const closes: number[] = [];
    const all: string[] = [];
    bus.subscribe('bar', (b) => closes.push(b.close));
    bus.subscribeAll((topic) => all.push(topic));
    bus.publish('bar', bar(101));
    bus.publish('fill', { orderId: 'o', symbol: 'SPY', side: 'buy', quantity: 1, price: 100, fee: 0.1, time: 0 });
    expect(closes).toEqual([101]);
    expect(all).toEqual(['bar', 'fill']);
  });

  it('isolates a failing handler, reports it with its owner, and still runs the others', () => {
    const bus = new EventBus();
    const errors: HandlerErrorEvent[] = [];
    const after: number[] = [];
    bus.subscribe('handler-error', (e) => errors.push(e));
    bus.subscribe('bar', () => { throw new Error('bad handler'); }, 'plugin-x');
    bus.subscribe('bar', (b) => after.push(b.close));
    bus.publish('bar', bar(5));
    expect(after).toEqual([5]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ topic: 'bar', owner: 'plugin-x' });
    expect((errors[0]!.error as Error).message).toBe('bad handler');
  });

  it('does not recurse when a handler-error handler itself throws', () => {
    const bus = new EventBus();
    bus.subscribe('handler-error', () => { throw new Error('reporter broken'); });
    bus.subscribe('bar', () => { throw new Error('bad'); });
    expect(() => bus.publish('bar', bar(1))).not.toThrow();
  });

  it('lets a handler unsubscribe during dispatch without skipping others', () => {
    const bus = new EventBus();
    const order: string[] = [];
    const off = bus.subscribe('bar', () => { order.push('a'); off(); });
    bus.subscribe('bar', () => order.push('b'));
    bus.publish('bar', bar(1));
    bus.publish('bar', bar(2));
    expect(order).toEqual(['a', 'b', 'b']);
  });

  it('removes every subscription of an owner, and nothing else', () => {
    const bus = new EventBus();
    for (let i = 0; i < 50; i++) bus.subscribe('bar', () => {}, 'leaky');
    bus.subscribeAll(() => {}, 'leaky');
    bus.subscribe('bar', () => {}, 'other');
    expect(bus.subscriptionCount('leaky')).toBe(51);
    expect(bus.removeOwner('leaky')).toBe(51);
    expect(bus.subscriptionCount('leaky')).toBe(0);
    expect(bus.subscriptionCount()).toBe(1);
    expect(bus.hasSubscribers('bar')).toBe(true);
    expect(bus.hasSubscribers('quote')).toBe(false);
  });

  it('counts every change to the subscriptions, so a cached hasSubscribers knows when to ask again', () => {
    const bus = new EventBus();
    const seen = [bus.changes];
    const off = bus.subscribe('bar', () => {});
    seen.push(bus.changes);
    const offAll = bus.subscribeAll(() => {});
    seen.push(bus.changes);
    off();
    seen.push(bus.changes);
    offAll();
    seen.push(bus.changes);
    bus.subscribe('fill', () => {}, 'plugin');
    seen.push(bus.changes);
    bus.removeOwner('plugin');
    seen.push(bus.changes);
    bus.removeOwner('nobody');
    bus.publish('bar', bar(100));
    seen.push(bus.changes);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 6]);
  });
});
