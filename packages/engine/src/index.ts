export { Ledger, type FillEffect, type LedgerState, type StrategyAccount } from './portfolio/ledger.js';
export { fromCents, toCents, type Cents } from './portfolio/money.js';
export { paperBroker } from './broker/paper-broker.js';
export { paperBrokerConfig, type PaperBrokerConfig } from './broker/paper-broker-config.js';
export { computeMetrics, type ClosedTrade, type Drawdown, type EquityPoint, type MetricsOptions, type PerformanceMetrics } from './metrics/metrics.js';
export { PositionSizer, sizingRule, type SizingRule } from './sizing/position-sizer.js';
export { BacktestEngine, type BacktestOptions, type EngineState, type BacktestResult, type Denial, type StrategyResult, type StrategySlot, type TradeRecord } from './run/backtest.js';
export { mergeBars } from './run/merge-bars.js';
