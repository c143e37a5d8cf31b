export { createYahooSource, yahooSource, yahooSource as default, type YahooSourceOptions } from './yahoo-source.js';
export { yahooSourceConfig, type YahooSourceConfig } from './config.js';
export { YAHOO_INTERVALS } from './intervals.js';
