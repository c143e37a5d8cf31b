export { bollingerReversion, bollingerReversion as default } from './bollinger-reversion.js';
export { bollingerConfig, type BollingerConfig } from './config.js';
