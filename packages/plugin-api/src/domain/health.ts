import type { EpochMs } from './bar.js';

export type HealthStatus = 'healthy' | 'degraded' | 'unhealthy';

export interface HealthReport {
  readonly status: HealthStatus;
  readonly message?: string;
  /** Numbers the host may check against configured thresholds, e.g. `latencyMs`, `reconnects`. */
  readonly metrics?: Readonly<Record<string, number>>;
  readonly time?: EpochMs;
}
