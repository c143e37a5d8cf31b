import { describe, expect, it } from 'vitest';
import { OrderLatency } from './order-latency.js';

describe('bar-to-order latency', () => {
  it('times each order from the bar that arrived last, with and without its wait for its turn', () => {
    const latency = new OrderLatency();
    expect(latency.figures()).toBeUndefined();
    // An order before any live bar (a resumed session's replay) is not timed.
    latency.sent(5);
    for (let i = 0; i < 100; i++) {
      latency.arrived(1_000 * i);
      latency.started(1_000 * i + (i === 99 ? 40 : 0));
      latency.sent(1_000 * i + (i === 99 ? 50 : 0.1 * (i % 10)));
    }
    const figures = latency.figures()!;
    expect(figures.orders).toBe(100);
    expect(figures.total.p50).toBeCloseTo(0.5, 9);
    expect(figures.total.max).toBe(50);
    expect(figures.processing.max).toBe(10);
  });

  it('keeps the latest 4,096 orders, however long the session runs', () => {
    const latency = new OrderLatency();
    for (let i = 0; i < 10_000; i++) {
      latency.arrived(i);
      latency.started(i);
      latency.sent(i + (i < 5_000 ? 100 : 1));
    }
    expect(latency.figures()).toEqual({ orders: 10_000, total: { p50: 1, p99: 1, max: 1 }, processing: { p50: 1, p99: 1, max: 1 } });
  });
});
