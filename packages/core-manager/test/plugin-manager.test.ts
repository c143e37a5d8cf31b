import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { hasErrorCode, type PluginError } from '@trading-orchestrator/plugin-api';
import { beforeEach, describe, expect, it } from 'vitest';
import { PluginManager, type HookFailureEvent, type StateTransition } from '../src/index.js';
import { bar, fixture, fixtureCalls, risk, strategy } from './fixtures.js';

const quiet = () => {};

function manager(maxConsecutiveFailures = 5) {
  const m = new PluginManager({ log: quiet, maxConsecutiveFailures });
  const lifecycle: StateTransition[] = [];
  const failures: HookFailureEvent[] = [];
  m.bus.subscribe('lifecycle', (t) => lifecycle.push(t));
  m.bus.subscribe('hook-failure', (f) => failures.push(f));
  return { m, lifecycle, failures };
}

beforeEach(() => {
  fixtureCalls().length = 0;
});

describe('loading and starting', () => {
  it('loads, validates, inits and starts, publishing every transition and timing each step', async () => {
    const { m, lifecycle } = manager();
    await m.load([strategy('alpha'), risk('guard')]);
    const report = await m.start();
    expect(report).toEqual({ started: ['alpha', 'guard'], failed: [] });
    expect(m.status().map((s) => [s.id, s.kind, s.state])).toEqual([
      ['alpha', 'strategy', 'active'],
      ['guard', 'risk', 'active'],
    ]);
    expect(lifecycle.filter((t) => t.pluginId === 'alpha').map((t) => t.to)).toEqual(['loading', 'loaded', 'initialising', 'active']);
    expect(m.stateChanges).toBe(lifecycle.length);
    const t = m.timings().alpha!;
    expect(t.loadMs).toBeGreaterThan(0);
    expect(t.initMs).toBeGreaterThanOrEqual(0);
    expect(m.active('strategy').map((a) => a.id)).toEqual(['alpha']);
  });

  it('reports every bad config field of every plugin, by path, before anything starts', async () => {
    const { m } = manager();
    const error = (await m
      .load([
        { ...strategy('alpha', { failIn: 'sometimes', warmupBars: -1 }), configPath: 'strategies[0].config' },
        { ...risk('guard', { resizeTo: 0 }), configPath: 'risk[0].config' },
      ])
      .catch((e: unknown) => e)) as PluginError;
    expect(hasErrorCode(error, 'CONFIG_INVALID')).toBe(true);
    expect(error.message).toBe('plugin config is invalid (3 problems)');
    expect(error.problems.map((p) => p.path)).toEqual(['strategies[0].config.failIn', 'strategies[0].config.warmupBars', 'risk[0].config.resizeTo']);
    expect(fixtureCalls()).toEqual([]);
  });

  it('refuses two instances with one id', async () => {
    const { m } = manager();
    const error = (await m.load([strategy('same'), strategy('same')]).catch((e: unknown) => e)) as PluginError;
    expect(error.problems[0]?.message).toBe('instance id "same" is already in use; give this one its own id');
  });

  it('an entry that fails to import, or exports no definition, is a LOAD_FAILED error naming the file', async () => {
    const { m } = manager();
    const error = (await m.load([{ plugin: fixture('throws-on-import.mjs', 'strategy', 'broken') }]).catch((e: unknown) => e)) as PluginError;
    expect(hasErrorCode(error, 'LOAD_FAILED')).toBe(true);
    expect(error.message).toBe('plugin "broken" (fixture-broken@1.0.0) failed to import ./throws-on-import.mjs: module body failed');
    const { m: m2 } = manager();
    const notPlugin = (await m2.load([{ plugin: fixture('not-a-plugin.mjs', 'strategy', 'plain') }]).catch((e: unknown) => e)) as PluginError;
    expect(notPlugin.message).toBe('plugin "plain": ./not-a-plugin.mjs does not export a plugin definition as "default" or "plugin"');
    expect(notPlugin.hint).toBe('export the result of defineStrategy(...) as the module\'s default export');
  });

  it('a manifest kind that does not match the code is refused', async () => {
    const { m } = manager();
    const error = (await m.load([{ plugin: fixture('configurable-strategy.mjs', 'data', 'liar') }]).catch((e: unknown) => e)) as Error;
    expect(error.message).toBe('plugin "liar": the manifest says kind "data" but the code defines a "strategy" plugin');
  });

  it('with policy "continue", a plugin that fails to load is left in error and the others run', async () => {
    const { m } = manager();
    const result = await m.load([{ plugin: fixture('throws-on-import.mjs', 'strategy', 'broken'), onFailure: 'continue' }, strategy('alpha')]);
    expect(result.loaded).toEqual(['alpha']);
    expect(result.failed.map((f) => f.id)).toEqual(['broken']);
    await m.start();
    expect(m.get('broken')?.machine.state).toBe('error');
    expect(m.get('alpha')?.machine.state).toBe('active');
  });
});

describe('plugins that misbehave in each lifecycle hook', () => {
  for (const failIn of ['init', 'start'] as const) {
    for (const mode of ['throw', 'reject', 'hang', 'garbage'] as const) {
      if (failIn === 'start' && mode === 'garbage') continue;
      it(`${mode} in ${failIn}: that plugin ends in error with the cause, the other starts`, async () => {
        const { m, failures } = manager();
        await m.load([strategy('bad', { failIn, mode }), strategy('good')]);
        const report = await m.start();
        expect(report.started).toEqual(['good']);
        expect(report.failed.map((f) => f.id)).toEqual(['bad']);
        const bad = m.status().find((s) => s.id === 'bad')!;
        expect(bad.state).toBe('error');
        const expected = {
          throw: `hook "${failIn}" of plugin "bad" failed: ${failIn} exploded`,
          reject: `hook "${failIn}" of plugin "bad" failed: ${failIn} rejected`,
          hang: `hook "${failIn}" of plugin "bad" did not settle within 60 ms`,
          garbage: 'hook "init" of plugin "bad" returned an invalid value: init must return the plugin instance (an object), got 42',
        }[mode];
        expect(bad.failure).toBe(expected);
        expect(failures.map((f) => `${f.pluginId}.${f.hook}`)).toEqual([`bad.${failIn}`]);
        expect(m.get('good')?.machine.state).toBe('active');
        const shutdown = await m.shutdown();
        expect(shutdown.unsettled.map((u) => `${u.pluginId}.${u.hook}`)).toEqual(mode === 'hang' ? [`bad.${failIn}`] : []);
      });
    }
  }

  for (const failIn of ['stop', 'dispose'] as const) {
    it(`a throw in ${failIn} is reported and the plugin is still unloaded`, async () => {
      const { m, failures } = manager();
      await m.load([strategy('bad', { failIn })]);
      await m.start();
      await m.shutdown();
      expect(m.get('bad')?.machine.state).toBe('unloaded');
      expect(failures.map((f) => f.error.message)).toEqual([`hook "${failIn}" of plugin "bad" failed: ${failIn} exploded`]);
    });
  }

  it('with policy "abort", a failed start stops and unloads what had started, then throws', async () => {
    const { m } = manager();
    await m.load([strategy('first'), strategy('bad', { failIn: 'start' }, 'abort'), strategy('never')]);
    const error = (await m.start().catch((e: unknown) => e)) as PluginError;
    expect(error.message).toBe('hook "start" of plugin "bad" failed: start exploded');
    expect(m.status().map((s) => [s.id, s.state])).toEqual([
      ['first', 'unloaded'],
      ['bad', 'unloaded'],
      ['never', 'unloaded'],
    ]);
    expect(fixtureCalls()).toContain('first.stop');
    expect(fixtureCalls()).not.toContain('never.init');
  });
});

describe('dependencies between plugins', () => {
  const withDeps = (instanceId: string, dependencies: Record<string, string>, config: Record<string, unknown> = {}) => ({
    ...strategy(instanceId, config),
    plugin: fixture('configurable-strategy.mjs', 'strategy', instanceId, { dependencies }),
  });

  it('start in dependency order', async () => {
    const { m } = manager();
    await m.load([withDeps('top', { middle: '^1.0.0' }), withDeps('middle', { base: '^1.0.0' }), withDeps('base', {})]);
    const report = await m.start();
    expect(report.started).toEqual(['base', 'middle', 'top']);
    expect(fixtureCalls().filter((c) => c.endsWith('.start'))).toEqual(['base.start', 'middle.start', 'top.start']);
  });

  it('when one fails, its dependents fail with a message that names the cause', async () => {
    const { m } = manager();
    await m.load([withDeps('top', { middle: '^1.0.0' }), withDeps('middle', { base: '^1.0.0' }), withDeps('base', {}, { failIn: 'init' })]);
    const report = await m.start();
    expect(report.failed.map((f) => f.error.message)).toEqual([
      'hook "init" of plugin "base" failed: init exploded',
      'plugin "middle" cannot start: its dependency "base" failed: hook "init" of plugin "base" failed: init exploded',
      'plugin "top" cannot start: its dependency "middle" failed: plugin "middle" cannot start: its dependency "base" failed: hook "init" of plugin "base" failed: init exploded',
    ]);
    expect(hasErrorCode(report.failed[1]!.error, 'DEPENDENCY_FAILED')).toBe(true);
  });

  it('a missing dependency, a version out of range and a cycle are each explained', async () => {
    const { m } = manager();
    await m.load([
      withDeps('lonely', { ghost: '^1.0.0' }),
      withDeps('picky', { base: '^2.0.0' }),
      withDeps('base', {}),
      withDeps('chicken', { egg: '*' }),
      withDeps('egg', { chicken: '*' }),
    ]);
    const messages = (await m.start()).failed.map((f) => f.error.message);
    expect(messages).toEqual([
      'plugin "chicken" cannot start: its dependencies form a cycle (chicken, egg)',
      'plugin "egg" cannot start: its dependencies form a cycle (chicken, egg)',
      'plugin "lonely" cannot start: it depends on plugin "ghost", which is not configured',
      'plugin "picky" cannot start: it needs "base" ^2.0.0, but 1.0.0 is installed',
    ]);
  });
});

describe('at run time', () => {
  it('the circuit breaker disables a plugin after N consecutive failures and the run goes on', async () => {
    const { m, lifecycle } = manager(3);
    await m.load([strategy('flaky', { failIn: 'onBar' }), strategy('steady')]);
    await m.start();
    for (const { plugin, instance } of m.active('strategy')) {
      const site = m.guard.site(plugin.guarded, 'onBar', instance);
      for (let i = 0; i < 5; i++) m.guard.call(site, bar(100 + i));
    }
    expect(m.get('flaky')?.machine.state).toBe('disabled');
    expect(m.get('steady')?.machine.state).toBe('active');
    expect(lifecycle.find((t) => t.pluginId === 'flaky' && t.to === 'disabled')?.reason).toBe(
      'circuit breaker: 3 consecutive failures, last: hook "onBar" of plugin "flaky" failed: onBar exploded',
    );
    expect(m.active('strategy').map((a) => a.id)).toEqual(['steady']);
    await m.enable('flaky');
    expect(m.get('flaky')?.machine.state).toBe('active');
    expect(m.get('flaky')?.guarded.consecutiveFailures).toBe(0);
  });

  it('disable stops a plugin and enable starts it again', async () => {
    const { m } = manager();
    await m.load([strategy('alpha')]);
    await m.start();
    const before = m.stateChanges;
    await m.disable('alpha');
    expect(m.get('alpha')?.machine.state).toBe('disabled');
    // Hot loops remember who is active and look again only when this count moves.
    expect(m.stateChanges).toBeGreaterThan(before);
    const disabledAt = m.stateChanges;
    await m.enable('alpha');
    expect(m.stateChanges).toBeGreaterThan(disabledAt);
    expect(fixtureCalls().filter((c) => c.startsWith('alpha.'))).toEqual(['alpha.init', 'alpha.start', 'alpha.stop', 'alpha.start']);
  });

  it('reload imports the new code and hands the old instance’s snapshot to the new one, which takes over without a stop', async () => {
    const dir = fileURLToPath(new URL('./.reload/', import.meta.url));
    mkdirSync(dir, { recursive: true });
    const write = (version: string, initBody = '') =>
      writeFileSync(
        `${dir}reloadable.mjs`,
        `import { defineStrategy } from '@trading-orchestrator/plugin-api';
         import { z } from 'zod';
         export default defineStrategy({ configSchema: z.object({}), init(ctx) {
           ${initBody}
           let seen = ctx.restoredState?.seen ?? 0;
           let fills = 0;
           ctx.subscribe('fill', () => fills++);
           return { warmupBars: 0, codeVersion: '${version}', onBar() { seen++; }, snapshot: () => ({ seen }), health: () => ({ status: 'healthy', metrics: { seen, fills } }) };
         } });`,
      );
    write('v1');
    const plugin = { ...fixture('reloadable.mjs', 'strategy', 'reloadable'), packageDir: dir };
    const { m } = manager();
    await m.load([{ plugin }]);
    await m.start();
    const first = m.get('reloadable')!.instance as unknown as { codeVersion: string; onBar(): void; health(): { metrics: { fills: number } } };
    first.onBar();
    first.onBar();
    write('v2');
    const before = m.stateChanges;
    expect(await m.reload('reloadable')).toEqual({ ok: true, from: '1.0.0', to: '1.0.0' });
    const second = m.get('reloadable')!.instance as unknown as { codeVersion: string; health(): { metrics: { seen: number; fills: number } } };
    expect(second.codeVersion).toBe('v2');
    expect(second.health().metrics.seen).toBe(2);
    // Never stopped: no transition, but hot loops that bound the old instance's hooks are told to look again.
    expect(m.get('reloadable')?.machine.state).toBe('active');
    expect(m.get('reloadable')?.machine.transitions().map((t) => t.to).slice(-1)).toEqual(['active']);
    expect(m.stateChanges).toBeGreaterThan(before);
    // The old instance's subscriptions went with it; the new one's hear the bus.
    m.bus.publish('fill', { orderId: 'o', symbol: 'A', side: 'buy', quantity: 1, price: 1, fee: 0, time: 0 });
    expect(first.health().metrics.fills).toBe(0);
    expect(second.health().metrics.fills).toBe(1);

    // A newer version that fails to start leaves the running one in place.
    write('v3', "throw new Error('v3 cannot start');");
    const failed = await m.reload('reloadable', { ...plugin, version: '1.1.0' });
    expect(failed).toMatchObject({ ok: false, from: '1.0.0', to: '1.1.0' });
    expect(!failed.ok && failed.error.message).toContain('v3 cannot start');
    expect(m.get('reloadable')!.instance).toBe(second);
    expect(m.get('reloadable')?.machine.state).toBe('active');
    writeFileSync(`${dir}reloadable.mjs`, 'export default { this is not javascript');
    expect((await m.reload('reloadable')).ok).toBe(false);
    expect(m.get('reloadable')!.instance).toBe(second);
    m.bus.publish('fill', { orderId: 'o', symbol: 'A', side: 'buy', quantity: 1, price: 1, fee: 0, time: 0 });
    expect(second.health().metrics.fills).toBe(2);
    await m.shutdown();
  });

  it('unloading removes every subscription a plugin made (no leaks)', async () => {
    const { m } = manager();
    await m.load([strategy('leaky', { subscriptions: 100 }), strategy('tidy', { subscriptions: 1 })]);
    await m.start();
    expect(m.bus.subscriptionCount('leaky')).toBe(100);
    m.bus.publish('bar', bar(10));
    await m.unload('leaky');
    expect(m.bus.subscriptionCount('leaky')).toBe(0);
    expect(m.bus.subscriptionCount('tidy')).toBe(1);
    await m.shutdown();
    // Only the test's own lifecycle and hook-failure listeners remain.
    expect(m.bus.subscriptionCount()).toBe(2);
  });

  it('a disabled plugin’s subscriptions are silent until it is enabled', async () => {
    const { m } = manager();
    await m.load([strategy('listener', { subscriptions: 1 })]);
    await m.start();
    const health = () => (m.get('listener')!.instance as unknown as { health(): { metrics: { subscribed: number } } }).health().metrics.subscribed;
    m.bus.publish('bar', bar(1));
    await m.disable('listener');
    m.bus.publish('bar', bar(2));
    await m.enable('listener');
    m.bus.publish('bar', bar(3));
    expect(health()).toBe(2);
  });

  it('a plugin flooding the bus is throttled, the drop is reported, and the host keeps going', async () => {
    const m2 = new PluginManager({ log: quiet, eventRate: { burst: 50, perSecond: 1 } });
    let riskEvents = 0;
    const dropped: number[] = [];
    m2.bus.subscribe('risk', () => riskEvents++);
    m2.bus.subscribe('events-dropped', (e) => dropped.push(e.dropped));
    await m2.load([risk('noisy', { floodOnStart: 10_000 })]);
    await m2.start();
    expect(riskEvents).toBe(50);
    expect(m2.get('noisy')?.droppedEvents).toBe(9_950);
    expect(dropped).toEqual([1]);
    expect(m2.get('noisy')?.machine.state).toBe('active');
  });

  it('the rate applies whether or not anyone listens to risk events: unheard raises are throttled and counted alike', async () => {
    const m2 = new PluginManager({ log: quiet, eventRate: { burst: 50, perSecond: 1 } });
    const dropped: number[] = [];
    m2.bus.subscribe('events-dropped', (e) => dropped.push(e.dropped));
    await m2.load([risk('noisy', { floodOnStart: 10_000 })]);
    await m2.start();
    expect(m2.bus.hasSubscribers('risk')).toBe(false);
    expect(m2.get('noisy')?.droppedEvents).toBe(9_950);
    expect(dropped).toEqual([1]);
  });

  it('operations in the wrong state are refused by name', async () => {
    const { m } = manager();
    await m.load([strategy('alpha')]);
    await m.start();
    await m.unload('alpha');
    const error = (await m.enable('alpha').catch((e: unknown) => e)) as PluginError;
    expect(error.message).toBe('plugin "alpha" was never initialised and cannot be enabled');
    const unknown = (await m.stop('nope').catch((e: unknown) => e)) as PluginError;
    expect(unknown.message).toBe('no plugin instance "nope"');
    expect(unknown.hint).toBe('known instances: alpha');
  });
});

describe('built-in plugins', () => {
  it('a definition handed over directly is used without importing anything', async () => {
    const { defineStrategy } = await import('@trading-orchestrator/plugin-api');
    const { z } = await import('zod');
    const definition = defineStrategy({ configSchema: z.object({ n: z.number().default(3) }), init: (ctx) => ({ warmupBars: ctx.config.n, onBar: () => undefined }) });
    const m = new PluginManager({ log: () => {} });
    await m.load([{ plugin: { id: 'inline', kind: undefined, version: '1.0.0', packageName: '(built-in)', packageDir: '/nonexistent', manifest: undefined, definition }, config: { n: 7 } }]);
    await m.start();
    expect((m.get('inline')!.instance as { warmupBars: number }).warmupBars).toBe(7);
    expect(m.get('inline')!.kind).toBe('strategy');
  });
});

describe("a plugin's abort signal", () => {
  it('fires when its life in the run ends — after its stop hook, before dispose — and not on a pause', async () => {
    const { defineStrategy } = await import('@trading-orchestrator/plugin-api');
    const { z } = await import('zod');
    const seen: string[] = [];
    const definition = defineStrategy({
      configSchema: z.object({}),
      init: (ctx) => {
        ctx.signal.addEventListener('abort', () => seen.push('aborted'));
        return {
          warmupBars: 0,
          onBar: () => undefined,
          start: () => void seen.push(`start (aborted: ${ctx.signal.aborted})`),
          stop: () => void seen.push(`stop (aborted: ${ctx.signal.aborted})`),
          dispose: () => void seen.push(`dispose (aborted: ${ctx.signal.aborted})`),
        };
      },
    });
    const m = new PluginManager({ log: () => {} });
    await m.load([{ plugin: { id: 'streams', kind: undefined, version: '1.0.0', packageName: '(built-in)', packageDir: '/nonexistent', manifest: undefined, definition }, config: {} }]);
    await m.start();
    await m.disable('streams');
    await m.enable('streams');
    await m.shutdown();
    expect(seen).toEqual(['start (aborted: false)', 'stop (aborted: false)', 'start (aborted: false)', 'stop (aborted: false)', 'aborted', 'dispose (aborted: true)']);
  });
});

describe('shutting down while plugins start (Ctrl-C during start-up)', () => {
  it('starts nothing more, and the plugin whose start was in flight is stopped and disposed when that start returns', async () => {
    const { defineStrategy } = await import('@trading-orchestrator/plugin-api');
    const { z } = await import('zod');
    const seen: string[] = [];
    let release!: () => void;
    const slow = new Promise<void>((resolve) => (release = resolve));
    const plugin = (id: string, start: () => Promise<void> | void) => ({
      plugin: {
        id,
        kind: undefined,
        version: '1.0.0',
        packageName: '(built-in)',
        packageDir: '/nonexistent',
        manifest: undefined,
        definition: defineStrategy({
          configSchema: z.object({}),
          init: () => ({ warmupBars: 0, onBar: () => undefined, start, stop: () => void seen.push(`${id} stop`), dispose: () => void seen.push(`${id} dispose`) }),
        }),
      },
      config: {},
    });
    const m = new PluginManager({ log: () => {} });
    await m.load([plugin('first', () => void seen.push('first start')), plugin('connecting', () => slow.then(() => void seen.push('connecting start'))), plugin('third', () => void seen.push('third start'))]);
    const starting = m.start();
    await new Promise((r) => setTimeout(r, 10));
    await m.shutdown();
    expect(seen).toEqual(['first start', 'first stop', 'first dispose']);
    release();
    expect(await starting).toEqual({ started: ['first'], failed: [] });
    expect(seen).toEqual(['first start', 'first stop', 'first dispose', 'connecting start', 'connecting stop', 'connecting dispose']);
    expect(m.status().map((s) => [s.id, s.state])).toEqual([
      ['first', 'unloaded'],
      ['connecting', 'unloaded'],
      ['third', 'unloaded'],
    ]);
  });
});
