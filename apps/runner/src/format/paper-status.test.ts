import { EventBus } from '@trading-orchestrator/core-manager';
import { describe, expect, it } from 'vitest';
import { PaperStatus } from './paper-status.js';

const T = Date.UTC(2026, 11, 7, 12, 30);
const bar = (time: number, close: number) => ({ symbol: 'BTC/USDT', timeframe: '1m' as const, time, open: close, high: close, low: close, close, volume: 1 });

function session(tty: boolean) {
  let out = '';
  const bus = new EventBus();
  const status = new PaperStatus({ write: (t: string) => (out += t) }, tty);
  status.attach(bus);
  return { bus, status, out: () => out };
}

describe('the paper session status', () => {
  it('off a terminal: nothing during warm-up, then a plain line for every closed bar with positions, equity and the last signal', () => {
    const { bus, status, out } = session(false);
    bus.publish('bar', bar(T - 60_000, 100));
    expect(out()).toBe('');
    status.goLive();
    bus.publish('equity', { time: T, equity: 100_000 });
    bus.publish('signal', { strategyId: 'ma', shadow: false, signal: { symbol: 'BTC/USDT', side: 'buy', strength: 1, time: T } });
    bus.publish('bar', bar(T, 101.5));
    bus.publish('position', { symbol: 'BTC/USDT', quantity: 0.25, averagePrice: 101.5, marketPrice: 101.5, unrealizedPnl: 0, realizedPnl: 0, openedAt: T, strategyId: 'ma' });
    bus.publish('position', { symbol: 'BTC/USDT', quantity: 0.5, averagePrice: 101.5, marketPrice: 101.5, unrealizedPnl: 0, realizedPnl: 0, openedAt: T, strategyId: 'rsi' });
    bus.publish('bar', bar(T + 60_000, 102));
    expect(out().split('\n')).toEqual([
      'live: 1 bar | last BTC/USDT 12:30 close 101.5 | positions none | equity 100000.00 | last signal 12:30 ma buy BTC/USDT',
      'live: 2 bars | last BTC/USDT 12:31 close 102 | positions BTC/USDT 0.75 | equity 100000.00 | last signal 12:30 ma buy BTC/USDT',
      '',
    ]);
  });

  it('on a terminal: one line, redrawn in place, and cleared at the end', () => {
    const { bus, status, out } = session(true);
    status.goLive();
    bus.publish('bar', bar(T, 100));
    expect(out()).toBe('\r\u001b[2Klive: 1 bar | last BTC/USDT 12:30 close 100 | positions none | equity - | last signal none');
    status.done();
    expect(out().endsWith('\r\u001b[2K')).toBe(true);
    expect(out()).not.toContain('\n');
  });
});
