export { parseTime } from './data/parse-time.js';
export { isTimeZone, parseTimeIn } from './data/zoned-time.js';
export type { OhlcvField } from './data/csv-layout.js';
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
