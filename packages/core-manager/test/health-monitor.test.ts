import type { Strategy } from '@trading-orchestrator/plugin-api';
import { describe, expect, it } from 'vitest';
import { applyThresholds, HealthMonitor, PluginManager, type HealthEvent } from '../src/index.js';
import { bar, strategy } from './fixtures.js';

describe('health monitor', () => {
  it('checks active plugins, applies thresholds, keeps a bounded history and publishes', async () => {
    const m = new PluginManager({ log: () => {} });
    const events: HealthEvent[] = [];
    m.bus.subscribe('health', (e) => events.push(e));
    await m.load([strategy('ok'), strategy('throws', { failIn: 'health' }), strategy('hangs', { failIn: 'health', mode: 'hang' }), strategy('lying', { failIn: 'health', mode: 'garbage' })]);
    await m.start();
    const monitor = new HealthMonitor(m, { thresholds: { ok: { bars: { min: 1 } } }, historyLimit: 2 });
    await monitor.checkAll();
    const byId = Object.fromEntries(monitor.summary().map((s) => [s.pluginId, s]));
    expect(byId.ok).toMatchObject({ state: 'active', status: 'unhealthy', message: 'bars 0 is below the minimum 1' });
    expect(byId.throws).toMatchObject({ status: 'unhealthy', message: 'health check failed: hook "health" of plugin "throws" failed: health exploded' });
    expect(byId.hangs).toMatchObject({ status: 'unhealthy', message: 'health check failed: hook "health" of plugin "hangs" did not settle within 60 ms' });
    expect(byId.lying?.message).toMatch(/returned an invalid value: expected a health report/);
    expect(events).toHaveLength(4);

    const ok = m.get('ok')!.instance as Strategy;
    for (let i = 0; i < 3; i++) void ok.onBar(bar(100 + i));
    await monitor.check('ok');
    await monitor.check('ok');
    expect(monitor.reports('ok').map((r) => r.status)).toEqual(['healthy', 'healthy']);
    await m.shutdown();
  });

  it('thresholds name the metric, its value and the bound', () => {
    expect(applyThresholds({ status: 'healthy', metrics: { latencyMs: 900 } }, { latencyMs: { max: 250 }, reconnects: { max: 3 } })).toEqual({
      status: 'unhealthy',
      metrics: { latencyMs: 900 },
      message: 'latencyMs 900 is above the maximum 250; reconnects not reported',
    });
    expect(applyThresholds({ status: 'degraded', metrics: { x: 1 } }, { x: { min: 0, max: 2 } }).status).toBe('degraded');
  });
});
