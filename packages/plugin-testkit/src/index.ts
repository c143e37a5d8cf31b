export { sharedDataDir, sharedDataFile } from './data/shared-data.js';
export { parseTime } from './data/parse-time.js';
export {
  loadOhlcvCsv,
  loadOhlcvJson,
  normaliseBars,
  parseOhlcvCsv,
  parseOhlcvJson,
  type LoadedBars,
  type OhlcvLoadOptions,
  type RowProblem,
} from './data/load-ohlcv.js';
export { SeededRandom } from './generate/random.js';
export { generateBars, generateUniverse, US_EQUITY_SESSION, type BarGeneratorOptions, type Regime, type TradingSession } from './generate/generate-bars.js';
export { createTestContext, type LogRecord, type TestContext } from './conformance/test-context.js';
export { runStrategy, type StrategyStep } from './conformance/run-strategy.js';
export { settledHeapUsed } from './conformance/heap.js';
export { badVariants } from './conformance/bad-bars.js';
export type { InvalidConfigCase } from './conformance/manifest-checks.js';
export { describeStrategyConformance, type StrategyConformanceOptions } from './conformance/strategy-conformance.js';
export { describeRiskConformance, portfolioOf, positionOf, type RiskConformanceOptions } from './conformance/risk-conformance.js';
export { describeIndicatorConformance, type IndicatorConformanceOptions } from './conformance/indicator-conformance.js';
