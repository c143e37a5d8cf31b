export { Dimension, snap } from './space/dimension.js';
export { ResolvedSpace, paramsKey } from './space/resolved-space.js';

export { SeededRandom } from './search/seeded-random.js';
export type { Sampler, SearchMethod } from './search/sampler.js';
export { GridSearch, MAX_GRID } from './search/grid-search.js';
export { RandomSearch } from './search/random-search.js';
export { TpeSearch, type TpeOptions } from './search/tpe-search.js';
export { makeSampler } from './search/make-sampler.js';

export { normalCdf, normalPdf, normalQuantile } from './guards/normal.js';
export { returnMoments, type ReturnMoments } from './guards/return-moments.js';
export { deflatedSharpe, expectedMaxSharpe, probabilisticSharpe, type DeflatedSharpe, type DeflatedSharpeInput } from './guards/deflated-sharpe.js';
export { backtestOverfitting, type BacktestOverfitting, type OverfittingOptions } from './guards/backtest-overfitting.js';

export { walkForwardWindows, type TimeSpan, type WalkForwardPlan, type WalkForwardWindow } from './walk-forward/windows.js';
export { parameterStability, type ParamStability } from './walk-forward/stability.js';
