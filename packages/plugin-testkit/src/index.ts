export {
  generateBars,
  generateUniverse,
  loadOhlcvCsv,
  loadOhlcvJson,
  normaliseBars,
  parseOhlcvCsv,
  parseOhlcvJson,
  parseTime,
  SeededRandom,
  US_EQUITY_SESSION,
  type BarGeneratorOptions,
  type LoadedBars,
  type OhlcvLoadOptions,
  type Regime,
  type RowProblem,
  type TradingSession,
} from '@trading-orchestrator/market-data';
export { createTestContext, type LogRecord, type TestContext } from './conformance/test-context.js';
export { runStrategy, type StrategyStep } from './conformance/run-strategy.js';
export { settledHeapUsed } from './conformance/heap.js';
export { badVariants } from './conformance/bad-bars.js';
export type { InvalidConfigCase } from './conformance/manifest-checks.js';
export { describeStrategyConformance, type StrategyConformanceOptions } from './conformance/strategy-conformance.js';
export { describeRiskConformance, portfolioOf, positionOf, type RiskConformanceOptions } from './conformance/risk-conformance.js';
export { collectBars, describeDataConformance, type DataConformanceOptions } from './conformance/data-conformance.js';
export { describeIndicatorConformance, type IndicatorConformanceOptions } from './conformance/indicator-conformance.js';
export { describeBrokerConformance, type BrokerConformanceOptions, type ConformanceVenue } from './conformance/broker-conformance.js';
export { barVenue, type BarVenueOptions } from './conformance/bar-venue.js';
export { describeNotifierConformance, type NotificationSink, type NotifierConformanceOptions } from './conformance/notifier-conformance.js';
