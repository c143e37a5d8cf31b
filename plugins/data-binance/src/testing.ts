export { startFakeBinance, type FakeBinance, type FakeBinanceOptions, type Fault, type KlineRow } from './testing/fake-binance.js';
