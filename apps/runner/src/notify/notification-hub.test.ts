import { EventBus, type PluginManager } from '@trading-orchestrator/core-manager';
import type { Notification } from '@trading-orchestrator/plugin-api';
import { describe, expect, it } from 'vitest';
import { NotificationHub } from './notification-hub.js';

const trade = { strategyId: 'ma', symbol: 'BTC/USDT', direction: 'long' as const, quantity: 1, entryTime: 0, exitTime: 60_000, pnl: 12.4, fees: 0.2, exitReason: 'signal' };

function hub(notify: (n: Notification) => void | Promise<void>, events: Notification['kind'][] = ['trade', 'risk', 'plugin', 'session']) {
  const bus = new EventBus();
  const manager = { get: () => ({ machine: { state: 'active' }, instance: { notify } }) } as unknown as PluginManager;
  const failures: string[] = [];
  bus.subscribe('hook-failure', (e) => failures.push(`${e.pluginId} ${e.hook}: ${e.error.message}`));
  const h = new NotificationHub(bus, manager, [{ id: 'hook', events, retries: 2, retryDelayMs: 10 }], 'USD');
  h.attach();
  return { bus, h, failures };
}

describe('the notification hub', () => {
  it('hands each event to the notifiers that want its kind, in order, and never makes the publisher wait', async () => {
    const got: string[] = [];
    let release: () => void = () => undefined;
    const slow = new Promise<void>((r) => (release = r));
    const { bus, h } = hub(async (n) => {
      await slow;
      got.push(n.title);
    }, ['trade', 'session']);
    const started = performance.now();
    bus.publish('trade', trade);
    bus.publish('trade', { ...trade, pnl: -3 });
    bus.publish('risk', { pluginId: 'risk-guards', time: 0, level: 'critical', code: 'CIRCUIT_BREAKER', message: 'drawdown 21%' });
    expect(performance.now() - started).toBeLessThan(50);
    release();
    await h.end('finished');
    expect(got).toEqual(['ma closed long BTC/USDT: +12.40 USD', 'ma closed long BTC/USDT: -3.00 USD', 'session ended: finished']);
    expect(h.delivered).toBe(3);
  });

  it('retries a failing notifier with backoff, then drops the notification and reports the failure', async () => {
    let calls = 0;
    const { bus, h, failures } = hub(() => {
      calls++;
      throw new Error('the webhook at hooks.example answered 500');
    });
    bus.publish('trade', trade);
    await h.end('finished', 2_000);
    expect(calls).toBe(6);
    expect(h.dropped).toBe(2);
    expect(failures[0]).toBe('hook notify: notification "ma closed long BTC/USDT: +12.40 USD" dropped after 3 tries: the webhook at hooks.example answered 500');
  });
});
