import type { EpochMs } from './bar.js';

export interface Position {
  readonly symbol: string;
  /** Signed: positive is long, negative is short. */
  readonly quantity: number;
  readonly averagePrice: number;
  readonly marketPrice: number;
  readonly unrealizedPnl: number;
  readonly realizedPnl: number;
  readonly openedAt: EpochMs;
  readonly strategyId?: string;
}
