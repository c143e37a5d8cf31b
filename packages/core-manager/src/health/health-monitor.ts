import type { HealthReport, HealthStatus } from '@trading-orchestrator/plugin-api';
import { HOOK_FAILED } from '../guard/hook-guard.js';
import type { PluginManager } from '../manager/plugin-manager.js';
import { RingBuffer } from '../util/ring-buffer.js';

/** Bounds for one metric a plugin reports in `HealthReport.metrics`. */
export interface MetricThreshold {
  readonly min?: number;
  readonly max?: number;
}

export interface HealthMonitorOptions {
  /** How often to check. Default 30 s. */
  readonly intervalMs?: number;
  /** Per plugin id, per metric name. */
  readonly thresholds?: Readonly<Record<string, Readonly<Record<string, MetricThreshold>>>>;
  /** Reports kept per plugin. Default 20. */
  readonly historyLimit?: number;
}

export interface TimedHealthReport extends HealthReport {
  readonly time: number;
}

export interface HealthSummary {
  readonly pluginId: string;
  readonly state: string;
  readonly status: HealthStatus | 'unknown';
  readonly message?: string;
  readonly lastCheck?: number;
}

function worse(a: HealthStatus, b: HealthStatus): HealthStatus {
  const rank = { healthy: 0, degraded: 1, unhealthy: 2 } as const;
  return rank[a] >= rank[b] ? a : b;
}

/** Applies thresholds: a metric outside its bounds makes the report unhealthy and says which and by how much. */
export function applyThresholds(report: HealthReport, thresholds: Readonly<Record<string, MetricThreshold>> | undefined): HealthReport {
  if (thresholds === undefined) return report;
  const breaches: string[] = [];
  for (const [name, bound] of Object.entries(thresholds)) {
    const value = report.metrics?.[name];
    if (value === undefined) {
      breaches.push(`${name} not reported`);
    } else if (bound.min !== undefined && !(value >= bound.min)) {
      breaches.push(`${name} ${value} is below the minimum ${bound.min}`);
    } else if (bound.max !== undefined && !(value <= bound.max)) {
      breaches.push(`${name} ${value} is above the maximum ${bound.max}`);
    }
  }
  if (breaches.length === 0) return report;
  const message = [report.message, ...breaches].filter((m) => m !== undefined && m !== '').join('; ');
  return { ...report, status: worse(report.status, 'unhealthy'), message };
}

/**
 * Calls each active plugin's `health` hook on a schedule, through the guard: a check that throws or times out
 * counts as a failure and marks the plugin unhealthy. Keeps a bounded history and publishes each result.
 */
export class HealthMonitor {
  private readonly history = new Map<string, RingBuffer<TimedHealthReport>>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly intervalMs: number;
  private readonly historyLimit: number;

  constructor(
    private readonly manager: PluginManager,
    private readonly options: HealthMonitorOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 30_000;
    this.historyLimit = options.historyLimit ?? 20;
  }

  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => void this.checkAll(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One round of checks over every active plugin that has a `health` hook. */
  async checkAll(): Promise<void> {
    const checks = this.manager.status().filter((s) => s.state === 'active').map((s) => this.check(s.id));
    await Promise.all(checks);
  }

  async check(pluginId: string): Promise<TimedHealthReport | undefined> {
    const p = this.manager.get(pluginId);
    if (p?.instance?.health === undefined || p.machine.state !== 'active') return undefined;
    const result = await this.manager.guard.call<HealthReport>(this.manager.guard.site(p.guarded, 'health', p.instance), undefined);
    const time = Date.now();
    const raw: HealthReport =
      result === HOOK_FAILED ? { status: 'unhealthy', message: `health check failed: ${p.guarded.lastError?.message ?? 'unknown error'}` } : result;
    const report: TimedHealthReport = { ...applyThresholds(raw, this.options.thresholds?.[pluginId]), time };
    let ring = this.history.get(pluginId);
    if (ring === undefined) this.history.set(pluginId, (ring = new RingBuffer(this.historyLimit)));
    ring.push(report);
    this.manager.bus.publish('health', { pluginId, report, time });
    return report;
  }

  reports(pluginId: string): TimedHealthReport[] {
    return this.history.get(pluginId)?.toArray() ?? [];
  }

  /** One line per plugin for the runner's status display. */
  summary(): HealthSummary[] {
    return this.manager.status().map((s) => {
      const last = this.history.get(s.id)?.last();
      return {
        pluginId: s.id,
        state: s.state,
        status: last?.status ?? 'unknown',
        ...(last?.message === undefined ? {} : { message: last.message }),
        ...(last === undefined ? {} : { lastCheck: last.time }),
      };
    });
  }
}
