import { PluginManager } from '@trading-orchestrator/core-manager';
import { defineStrategy } from '@trading-orchestrator/plugin-api';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runConfigSchema } from '../config/run-config.js';
import { SessionHealth } from './session-health.js';

/** A strategy whose queue depth (a metric it reports) grows with every check. */
const growing = defineStrategy({
  configSchema: z.object({}),
  init() {
    let depth = 0;
    return { warmupBars: 0, onBar: () => undefined, health: () => ({ status: 'healthy' as const, metrics: { queueDepth: (depth += 10) } }) };
  },
});

describe('a paper session\'s health checks', () => {
  it('find a metric over its threshold, say so, and take the strategy out after the configured streak', async () => {
    const manager = new PluginManager();
    await manager.load([{ plugin: { id: 'grower', kind: 'strategy', version: '1.0.0', packageName: 'grower', packageDir: '.', manifest: undefined, definition: growing }, instanceId: 'grower', config: {} }]);
    await manager.start();
    const config = runConfigSchema.parse({
      mode: 'paper',
      data: [{ plugin: 'data-binance' }],
      symbols: ['BTC/USDT'],
      timeframe: '1m',
      strategies: [{ plugin: 'grower' }],
      health: { intervalMs: 100, thresholds: { grower: { queueDepth: { max: 15 } } }, disableAfter: 2 },
    });
    let err = '';
    const health = new SessionHealth(config, { cwd: '.', env: {}, stdout: { write: () => true }, stderr: { write: (t: string) => (err += t) } });
    const detach = health.attach(manager.bus, manager);
    try {
      for (let i = 0; i < 100 && manager.get('grower')!.machine.state !== 'disabled'; i++) await new Promise((r) => setTimeout(r, 25));
      expect(manager.get('grower')!.machine.state).toBe('disabled');
      expect(err).toContain('warning: plugin "grower" reports itself unhealthy: queueDepth 20 is above the maximum 15');
      expect(err).toContain('plugin "grower" was unhealthy 2 checks in a row: it is taken out of the session (health.disableAfter)');
      expect(health.monitor!.summary()).toEqual([expect.objectContaining({ pluginId: 'grower', state: 'disabled', status: 'unhealthy' })]);
    } finally {
      detach();
      await manager.shutdown();
    }
  });
});
