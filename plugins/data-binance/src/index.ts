export { binanceSource, binanceSource as default } from './binance-source.js';
export { binanceSourceConfig, type BinanceSourceConfig } from './config.js';
