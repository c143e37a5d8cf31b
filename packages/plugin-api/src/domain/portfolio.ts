import type { EpochMs } from './bar.js';
import type { Position } from './position.js';

export interface PortfolioSnapshot {
  readonly time: EpochMs;
  /** ISO 4217 or asset code of the account, e.g. "USD", "USDT". */
  readonly currency: string;
  readonly cash: number;
  /** Cash plus the market value of every position. */
  readonly equity: number;
  readonly positions: readonly Position[];
  /** Sum of |market value| of positions. */
  readonly grossExposure: number;
  /** Sum of signed market values. */
  readonly netExposure: number;
  readonly realizedPnl: number;
  readonly unrealizedPnl: number;
  readonly feesPaid: number;
}
