export { rsiMeanReversion, rsiMeanReversion as default, type Divergence } from './rsi-mean-reversion.js';
export { rsiConfig, type RsiConfig } from './config.js';
