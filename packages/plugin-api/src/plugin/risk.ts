import type { Bar } from '../domain/bar.js';
import type { Fill, OrderIntent } from '../domain/order.js';
import type { PortfolioSnapshot } from '../domain/portfolio.js';
import type { Position } from '../domain/position.js';
import type { RiskDecision, RiskEvent, RiskMetrics } from '../domain/risk.js';
import type { PluginContext } from './context.js';
import type { PluginLifecycle } from './lifecycle.js';
import type { MaybePromise } from './maybe-promise.js';

export interface RiskPluginContext<Config> extends PluginContext<Config> {
  /** Publish a breach, a recovery or a warning. The host stamps the time when omitted. */
  raise(event: Omit<RiskEvent, 'time'> & { readonly time?: number }): void;
}

/** Pre-trade checks and portfolio risk. The host treats a throw or a time-out in `checkOrder` as a denial. */
export interface RiskManager extends PluginLifecycle {
  checkOrder(intent: OrderIntent, portfolio: PortfolioSnapshot): MaybePromise<RiskDecision>;
  portfolioRisk?(portfolio: PortfolioSnapshot): MaybePromise<RiskMetrics>;
  /** Every closed bar, for plugins that keep rolling statistics (returns, volatility). */
  onBar?(bar: Bar): MaybePromise<void>;
  onFill?(fill: Fill, portfolio: PortfolioSnapshot): MaybePromise<void>;
  onPositionOpened?(position: Position, portfolio: PortfolioSnapshot): MaybePromise<void>;
  onPositionClosed?(position: Position, portfolio: PortfolioSnapshot): MaybePromise<void>;
}
