import type { ExternalAlert } from '@trading-orchestrator/plugin-api';
import { describe, expect, it } from 'vitest';
import { SignalRouter, SignalTally, type StrategyRoute } from '../src/index.js';
import { bar } from './fixtures.js';

const routes: StrategyRoute[] = [
  { instanceId: 'ma-fast', strategy: 'ma-crossover', timeframes: ['1h'], shadow: false, acceptsAlerts: true },
  { instanceId: 'ma-slow', strategy: 'ma-crossover', timeframes: ['1d'], shadow: false, acceptsAlerts: true },
  { instanceId: 'rsi-btc', strategy: 'rsi', symbols: ['BTC/USDT'], shadow: false, acceptsAlerts: true },
  { instanceId: 'rsi-shadow', strategy: 'rsi', shadow: true, acceptsAlerts: true },
  { instanceId: 'bands', strategy: 'bollinger', shadow: false, acceptsAlerts: false },
];
const router = new SignalRouter(routes);
const alert = (fields: Partial<ExternalAlert>): ExternalAlert => ({ source: 'webhook', time: 0, payload: {}, ...fields });
const ids = (r: readonly StrategyRoute[]) => r.map((x) => x.instanceId);

describe('signal router', () => {
  it('routes an alert by explicit plugin hint first', () => {
    expect(router.route(alert({ pluginHint: 'ma-slow', strategy: 'rsi' }))).toMatchObject({ rule: 'plugin-hint' });
    expect(ids(router.route(alert({ pluginHint: 'ma-slow', strategy: 'rsi' })).targets)).toEqual(['ma-slow']);
  });

  it('then by strategy and timeframe, then by strategy alone', () => {
    const exact = router.route(alert({ strategy: 'ma-crossover', timeframe: '1h' }));
    expect([exact.rule, ids(exact.targets)]).toEqual(['strategy-and-timeframe', ['ma-fast']]);
    const loose = router.route(alert({ strategy: 'ma-crossover', timeframe: '4h' }));
    expect([loose.rule, ids(loose.targets)]).toEqual(['strategy', ['ma-fast', 'ma-slow']]);
  });

  it('falls through a hint that names no capable instance, and says when nothing matches', () => {
    expect(router.route(alert({ pluginHint: 'bands', strategy: 'rsi', symbol: 'ETH/USDT' }))).toMatchObject({ rule: 'strategy' });
    expect(ids(router.route(alert({ pluginHint: 'bands', strategy: 'rsi', symbol: 'ETH/USDT' })).targets)).toEqual(['rsi-shadow']);
    expect(router.route(alert({ strategy: 'unknown' }))).toEqual({ rule: 'none', targets: [] });
  });

  it('broadcasts to every capable instance, shadow ones included', () => {
    expect(ids(router.broadcast(alert({ symbol: 'BTC/USDT', timeframe: '1h' })))).toEqual(['ma-fast', 'rsi-btc', 'rsi-shadow']);
  });

  it('sends bars to every instance covering the symbol and timeframe, from a cache', () => {
    const btcHourly = { ...bar(100, 0, 'BTC/USDT'), timeframe: '1h' as const };
    const first = router.forBar(btcHourly);
    expect(ids(first)).toEqual(['ma-fast', 'rsi-btc', 'rsi-shadow', 'bands']);
    const nextHour = { ...btcHourly, time: 3_600_000 };
    expect(router.forBar(nextHour)).toBe(first);
    expect(router.isShadow('rsi-shadow')).toBe(true);
    expect(router.isShadow('rsi-btc')).toBe(false);
  });
});

describe('signal tally', () => {
  it('counts signals per instance and compares a shadow strategy with a live one', () => {
    const tally = new SignalTally();
    const signal = (strategyId: string, side: 'buy' | 'sell', symbol = 'SPY', shadow = false) => ({ strategyId, shadow, signal: { symbol, side, strength: 1 } });
    tally.record(signal('live', 'buy'), 1);
    tally.record(signal('shadow', 'buy', 'SPY', true), 1);
    tally.record(signal('live', 'sell'), 2);
    tally.record(signal('shadow', 'buy', 'SPY', true), 2);
    tally.record(signal('shadow', 'sell', 'SPY', true), 3);
    tally.record(signal('live', 'buy', 'QQQ'), 3);
    expect(tally.tallies()).toEqual([
      { instanceId: 'live', shadow: false, buy: 2, sell: 1, exit: 0 },
      { instanceId: 'shadow', shadow: true, buy: 2, sell: 1, exit: 0 },
    ]);
    expect(tally.compare('shadow', 'live')).toEqual({ shadow: 'shadow', live: 'live', agreed: 1, disagreed: 1, onlyShadow: 1, onlyLive: 1 });
  });

  it('remembers a bounded window of points', () => {
    const tally = new SignalTally(100);
    for (let t = 0; t < 1_000; t++) tally.record({ strategyId: 's', shadow: false, signal: { symbol: 'X', side: 'buy', strength: 1 } }, t);
    expect(tally.compare('s', 's').agreed).toBe(100);
  });
});
