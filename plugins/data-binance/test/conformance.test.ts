import { describeDataConformance } from '@trading-orchestrator/plugin-testkit';
import { afterAll } from 'vitest';
import { binanceSource } from '../src/index.js';
import { configFor, ftxMinuteKlines, startRecordedBinance } from './recorded-binance.js';

const server = await startRecordedBinance(ftxMinuteKlines());
afterAll(() => server.close());

describeDataConformance('data-binance', {
  definition: binanceSource,
  packageJson: new URL('../package.json', import.meta.url),
  validConfig: configFor(server),
  invalidConfigs: [
    { config: { pageSize: 5000 }, paths: ['pageSize'] },
    { config: { apiKey: 'k' }, paths: ['secret'] },
    { config: { urls: { rest: 'not a url' }, retries: { max: -1 } }, paths: ['urls.rest', 'retries.max'] },
  ],
  request: { symbol: 'BTC/USDT', timeframe: '1m', start: Date.UTC(2022, 0, 3), end: Date.UTC(2022, 0, 4, 12) },
  unknownSymbol: { request: { symbol: 'BTC/USDTT', timeframe: '1m', start: 0, end: 1 }, message: /^Binance lists no spot market "BTC\/USDTT" \(did you mean BTC\/USDT\b/ },
});
