import type { EpochMs } from './bar.js';
import type { Timeframe } from './timeframe.js';

/**
 * A message from outside the run (a webhook from a charting tool, a manual order ticket) that a strategy may turn
 * into signals. The router picks its target by `pluginHint`, then `strategy` + `timeframe`, then `strategy`.
 */
export interface ExternalAlert {
  readonly source: string;
  readonly time: EpochMs;
  /** Id of the strategy instance that must handle the alert. */
  readonly pluginHint?: string;
  /** Strategy plugin id the alert is meant for. */
  readonly strategy?: string;
  readonly timeframe?: Timeframe;
  readonly symbol?: string;
  readonly payload: Readonly<Record<string, unknown>>;
}
