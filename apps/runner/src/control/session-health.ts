import { HealthMonitor, type EventBus, type HealthMonitorOptions, type PluginManager } from '@trading-orchestrator/core-manager';
import type { Io } from '../cli/io.js';
import type { RunConfig } from '../config/run-config.js';

/**
 * A paper session's health checks: every plugin with a `health` hook is asked every `health.intervalMs`; a report
 * outside the run file's thresholds is unhealthy. An unhealthy report is printed (and journaled through the bus);
 * `health.disableAfter` unhealthy checks in a row take the plugin out of the session (0: never).
 */
export class SessionHealth {
  monitor: HealthMonitor | undefined;

  constructor(
    private readonly config: RunConfig,
    private readonly io: Io,
  ) {}

  attach(bus: EventBus, manager: PluginManager): () => void {
    const { intervalMs, thresholds, disableAfter } = this.config.health;
    const monitor = new HealthMonitor(manager, { intervalMs, thresholds: thresholds as NonNullable<HealthMonitorOptions['thresholds']> });
    this.monitor = monitor;
    const streak = new Map<string, number>();
    const off = bus.subscribe('health', ({ pluginId, report }) => {
      if (report.status === 'healthy') {
        streak.delete(pluginId);
        return;
      }
      const n = (streak.get(pluginId) ?? 0) + 1;
      streak.set(pluginId, n);
      this.io.stderr.write(`warning: plugin "${pluginId}" reports itself ${report.status}${report.message === undefined ? '' : `: ${report.message}`}\n`);
      if (report.status === 'unhealthy' && disableAfter > 0 && n === disableAfter && manager.get(pluginId)?.kind === 'strategy') {
        this.io.stderr.write(`plugin "${pluginId}" was unhealthy ${n} checks in a row: it is taken out of the session (health.disableAfter); trading-orchestrator ctl enable ${pluginId} brings it back\n`);
        void manager.disable(pluginId, `unhealthy ${n} checks in a row: ${report.message ?? report.status}`);
      }
    });
    monitor.start();
    return () => {
      monitor.stop();
      off();
    };
  }
}
