import type { EpochMs } from './bar.js';

/** Severity of a risk event, lowest first. */
export type RiskLevel = 'info' | 'warning' | 'critical' | 'emergency';

/**
 * A risk plugin's verdict on one order intent. Codes are stable, upper-snake identifiers
 * (e.g. `VAR_LIMIT_EXCEEDED`) so journals and dashboards can group by them. `setting` names the key of the
 * plugin's config whose limit decided it (e.g. `maxPositionWeight`, `lossStreak.cooldownBars`): the host tells the
 * user where to change it.
 */
export type RiskDecision =
  | { readonly action: 'allow' }
  | { readonly action: 'deny'; readonly code: string; readonly message: string; readonly setting?: string }
  | { readonly action: 'resize'; readonly quantity: number; readonly code: string; readonly message: string; readonly setting?: string };

/** A limit a risk plugin enforces, with where it stands now. */
export interface RiskLimitStatus {
  readonly name: string;
  readonly limit: number;
  readonly current: number;
  /** current / limit, as a fraction (1 = at the limit). */
  readonly utilisation: number;
  readonly breached: boolean;
}

export interface RiskMetrics {
  readonly time: EpochMs;
  /** Portfolio Value-at-Risk in account currency, positive number = potential loss. */
  readonly valueAtRisk?: number;
  readonly expectedShortfall?: number;
  /** Confidence level of VaR/ES, e.g. 0.99. */
  readonly confidence?: number;
  /** Horizon of VaR/ES in bars of the plugin's timeframe. */
  readonly horizonBars?: number;
  readonly limits: readonly RiskLimitStatus[];
  /** Anything else the plugin measures, by name. */
  readonly values?: Readonly<Record<string, number>>;
}

export interface RiskEvent {
  readonly time: EpochMs;
  readonly level: RiskLevel;
  readonly code: string;
  readonly message: string;
  readonly symbol?: string;
  readonly values?: Readonly<Record<string, number>>;
}
