import { hasErrorCode, type Signal } from '@trading-orchestrator/plugin-api';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bar } from '../../test/fixtures.js';
import { EventBus } from '../events/event-bus.js';
import type { HookFailureEvent, SlowHookEvent } from '../events/event-map.js';
import { GuardedPlugin, HOOK_FAILED, HookGuard } from './hook-guard.js';

function setup(max = 3) {
  const bus = new EventBus();
  const failures: HookFailureEvent[] = [];
  const slow: SlowHookEvent[] = [];
  const tripped: string[] = [];
  bus.subscribe('hook-failure', (f) => failures.push(f));
  bus.subscribe('hook-slow', (s) => slow.push(s));
  const guard = new HookGuard({ bus, maxConsecutiveFailures: max, defaultLimits: { softMs: 15, hardMs: 40 }, onTrip: (p) => tripped.push(p.id) });
  return { guard, failures, slow, tripped, plugin: new GuardedPlugin('strat', 'strategy') };
}

describe('hook guard', () => {
  it('returns a synchronous value as is, with no promise', () => {
    const { guard, plugin } = setup();
    const signal: Signal = { symbol: 'SPY', side: 'buy', strength: 0.7 };
    const site = guard.site(plugin, 'onBar', { onBar: () => signal });
    expect(guard.call(site, bar(1))).toBe(signal);
    expect(guard.call(guard.site(plugin, 'onBar', { onBar: () => undefined }), bar(1))).toBeUndefined();
    expect(plugin.calls).toBe(2);
    expect(plugin.failures).toBe(0);
  });

  it('passes up to two arguments and keeps `this`', () => {
    const { guard } = setup();
    const plugin = new GuardedPlugin('strat', 'risk');
    const instance = { factor: 2, checkOrder(this: { factor: number }, a: number, b: number) { return { action: 'resize', quantity: a * b * this.factor, code: 'X', message: 'm' }; } };
    expect(guard.call(guard.site(plugin, 'checkOrder', instance), 3, 4)).toEqual({ action: 'resize', quantity: 24, code: 'X', message: 'm' });
  });

  it('turns a throw into HOOK_FAILED, tagged with plugin and hook, counted and published', () => {
    const { guard, plugin, failures } = setup();
    const site = guard.site(plugin, 'onBar', { onBar: () => { throw new TypeError('cannot read close'); } });
    expect(guard.call(site, bar(1))).toBe(HOOK_FAILED);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ pluginId: 'strat', hook: 'onBar', consecutiveFailures: 1, totalFailures: 1 });
    expect(failures[0]!.error.message).toBe('hook "onBar" of plugin "strat" failed: cannot read close');
    expect(failures[0]!.error.path).toBe('strat.onBar');
    expect(hasErrorCode(failures[0]!.error, 'HOOK_FAILED')).toBe(true);
    expect((failures[0]!.error.cause as Error).name).toBe('TypeError');
  });

  it('turns a rejected promise into HOOK_FAILED', async () => {
    const { guard, plugin, failures } = setup();
    const result = await guard.call(guard.site(plugin, 'onBar', { onBar: () => Promise.reject(new Error('feed down')) }), bar(1));
    expect(result).toBe(HOOK_FAILED);
    expect(failures[0]!.error.message).toBe('hook "onBar" of plugin "strat" failed: feed down');
    expect(guard.unsettled()).toEqual([]);
  });

  it('rejects return values that break the contract', () => {
    const { guard, plugin, failures } = setup(10);
    const answers: unknown[] = [
      { symbol: 'SPY', side: 'buy', strength: 3 },
      [{ symbol: 'SPY', side: 'buy', strength: 0.5 }, { symbol: 'SPY', side: 'sell', strength: 0.5, price: Number.NaN }],
      'buy',
    ];
    for (const answer of answers) expect(guard.call(guard.site(plugin, 'onBar', { onBar: () => answer }), bar(1))).toBe(HOOK_FAILED);
    const riskPlugin = new GuardedPlugin('strat', 'risk');
    expect(guard.call(guard.site(riskPlugin, 'checkOrder', { checkOrder: () => ({ action: 'maybe' }) }))).toBe(HOOK_FAILED);
    expect(guard.call(guard.site(riskPlugin, 'checkOrder', { checkOrder: () => ({ action: 'deny' }) }))).toBe(HOOK_FAILED);
    expect(failures.map((f) => f.error.message)).toEqual([
      'hook "onBar" of plugin "strat" returned an invalid value: strength must be within [0, 1], got 3',
      'hook "onBar" of plugin "strat" returned an invalid value: signal [1]: price must be a positive finite price, got NaN',
      'hook "onBar" of plugin "strat" returned an invalid value: expected a signal, an array of signals or nothing, got string',
      'hook "checkOrder" of plugin "strat" returned an invalid value: action must be "allow", "deny" or "resize", got "maybe"',
      'hook "checkOrder" of plugin "strat" returned an invalid value: a deny decision needs a non-empty code',
    ]);
  });

  it('warns when a promise passes the soft limit and fails it at the hard limit; the hung call stays listed', async () => {
    const { guard, plugin, failures, slow } = setup();
    const result = await guard.call(guard.site(plugin, 'health', { health: () => new Promise(() => {}) }));
    expect(result).toBe(HOOK_FAILED);
    expect(slow).toEqual([{ pluginId: 'strat', hook: 'health', softLimitMs: 15 }]);
    expect(hasErrorCode(failures[0]!.error, 'HOOK_TIMED_OUT')).toBe(true);
    expect(failures[0]!.error.message).toBe('hook "health" of plugin "strat" did not settle within 40 ms');
    expect(plugin.timeouts).toBe(1);
    expect(guard.unsettled()).toEqual([{ pluginId: 'strat', hook: 'health', since: expect.any(Number) }]);
  });

  it('gives the hooks that set a plugin up or take it down their own, longer limits; a plugin\'s own limits win', () => {
    const bus = new EventBus();
    const defaults = new HookGuard({ bus });
    const plugin = new GuardedPlugin('feed', 'data', { start: { softMs: 50, hardMs: 60_000 } });
    const instance = { init() {}, start() {}, stop() {}, dispose() {}, health() {}, historicalBars() {} };
    const limitsOf = (guard: HookGuard, hook: keyof typeof instance) => guard.site(plugin, hook, instance).limits;
    for (const hook of ['init', 'stop', 'dispose'] as const) expect(limitsOf(defaults, hook)).toEqual({ softMs: 5_000, hardMs: 30_000 });
    for (const hook of ['health', 'historicalBars'] as const) expect(limitsOf(defaults, hook)).toEqual({ softMs: 1_000, hardMs: 5_000 });
    expect(limitsOf(defaults, 'start')).toEqual({ softMs: 50, hardMs: 60_000 });
    const configured = new HookGuard({ bus, defaultLimits: { softMs: 10, hardMs: 20 }, lifecycleLimits: { softMs: 30, hardMs: 40 } });
    const other = new GuardedPlugin('feed2', 'data');
    expect(configured.site(other, 'stop', instance).limits).toEqual({ softMs: 30, hardMs: 40 });
    expect(configured.site(other, 'health', instance).limits).toEqual({ softMs: 10, hardMs: 20 });
  });

  it('forgets a late promise once it settles, without counting it twice', async () => {
    const { guard, plugin, failures } = setup();
    let settle: (v: unknown) => void = () => {};
    const result = await guard.call(guard.site(plugin, 'onBar', { onBar: () => new Promise((r) => (settle = r)) }), bar(1));
    expect(result).toBe(HOOK_FAILED);
    settle(undefined);
    await new Promise((r) => setTimeout(r, 0));
    expect(guard.unsettled()).toEqual([]);
    expect(failures).toHaveLength(1);
  });

  it('trips the circuit breaker after N consecutive failures, once; a success in between resets the count', () => {
    const { guard, plugin, tripped } = setup(3);
    let fail = true;
    const site = guard.site(plugin, 'onBar', { onBar: () => { if (fail) throw new Error('x'); return undefined; } });
    guard.call(site, bar(1));
    guard.call(site, bar(1));
    fail = false;
    guard.call(site, bar(1));
    expect(plugin.consecutiveFailures).toBe(0);
    fail = true;
    for (let i = 0; i < 5; i++) guard.call(site, bar(1));
    expect(tripped).toEqual(['strat']);
    expect(plugin.tripped).toBe(true);
    expect(plugin.failures).toBe(7);
  });

  it('whatever several plugins do in turn (fail, succeed, get reset), each one\'s streak is its failures since its last success', () => {
    // A success skips looking at its plugin while no plugin anywhere is in a streak: the shortcut must never skip one that is.
    const op = fc.record({ plugin: fc.integer({ min: 0, max: 2 }), act: fc.constantFrom('fail', 'succeed', 'succeed-nothing', 'reset', 'zero') });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const { guard } = setup(1_000);
        const plugins = [0, 1, 2].map((i) => new GuardedPlugin(`p${i}`, 'risk'));
        const sites = plugins.map((p) => ({
          fail: guard.site(p, 'checkOrder', { checkOrder: () => { throw new Error('no'); } }),
          succeed: guard.site(p, 'onBar', { onBar: () => undefined }),
        }));
        const expected = [0, 0, 0];
        for (const { plugin, act } of ops) {
          const site = sites[plugin]!;
          if (act === 'fail') guard.call(site.fail), expected[plugin]!++;
          else if (act === 'succeed') guard.call(site.succeed);
          else if (act === 'succeed-nothing') guard.returnedNothing(site.succeed);
          else if (act === 'reset') plugins[plugin]!.reset();
          else plugins[plugin]!.consecutiveFailures = 0;
          if (act !== 'fail') expected[plugin] = 0;
          expect(plugins.map((p) => p.consecutiveFailures)).toEqual(expected);
        }
        // Leave no streak behind for the next case.
        for (const p of plugins) p.reset();
      }),
    );
  });

  it('checks return values by the plugin’s kind: a broker’s onBar returns fills, not signals', () => {
    const { guard, failures } = setup(10);
    const broker = new GuardedPlugin('paper', 'broker');
    const fill = { orderId: 'o', symbol: 'SPY', side: 'buy', quantity: 1, price: 100, fee: 0.1, time: 1 };
    expect(guard.call(guard.site(broker, 'onBar', { onBar: () => [fill] }), bar(1))).toEqual([fill]);
    expect(guard.call(guard.site(broker, 'onBar', { onBar: () => [{ ...fill, price: -1 }] }), bar(1))).toBe(HOOK_FAILED);
    expect(failures[0]!.error.message).toBe('hook "onBar" of plugin "paper" returned an invalid value: fill [0] price must be a positive finite number, got -1');
  });

  it('asking for a site again gives the same one, so sites stay bounded however often a hot path asks', () => {
    const { guard, plugin } = setup();
    const instance = { onBar: () => undefined };
    const first = guard.site(plugin, 'onBar', instance);
    for (let i = 0; i < 10_000; i++) guard.call(guard.site(plugin, 'onBar', instance), bar(1));
    expect(guard.site(plugin, 'onBar', instance)).toBe(first);
    expect(plugin.calls).toBe(10_000);
    // A reload brings a new instance: a new site, and the calls made so far still count.
    const reloaded = guard.site(plugin, 'onBar', { onBar: () => undefined });
    expect(reloaded).not.toBe(first);
    guard.call(reloaded, bar(1));
    expect(plugin.calls).toBe(10_001);
  });

  it('calling a hook the plugin lacks is a no-op', () => {
    const { guard, plugin } = setup();
    const site = guard.site(plugin, 'onTick', {});
    expect(site.present).toBe(false);
    expect(guard.call(site, bar(1))).toBeUndefined();
    expect(plugin.calls).toBe(0);
  });
});
