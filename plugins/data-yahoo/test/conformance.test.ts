import { describeDataConformance } from '@trading-orchestrator/plugin-testkit';
import { createYahooSource } from '../src/index.js';
import { replayYahoo } from './recorded-yahoo.js';

describeDataConformance('data-yahoo', {
  definition: createYahooSource({ fetch: replayYahoo().fetch }),
  packageJson: new URL('../package.json', import.meta.url),
  validConfig: { minRequestIntervalMs: 0 },
  invalidConfigs: [
    { config: { adjust: 'dividends' }, paths: ['adjust'] },
    { config: { pollIntervalMs: 10, retries: { max: -1 } }, paths: ['retries.max', 'pollIntervalMs'] },
  ],
  // TSLA's daily history as recorded (2010-06-29 to 2023-08-11): Yahoo's answer is cut to the range asked.
  request: { symbol: 'TSLA', timeframe: '1d', start: Date.UTC(2019, 0, 1), end: Date.UTC(2020, 0, 1) },
  unknownSymbol: { request: { symbol: 'TSLAA', timeframe: '1d', start: Date.UTC(2020, 0, 1), end: Date.UTC(2020, 1, 1) }, message: 'Yahoo has no data for TSLAA 1d bars from 2020-01-01T00:00:00.000Z: No data found, symbol may be delisted' },
  unsupportedTimeframe: { request: { symbol: 'TSLA', timeframe: '4h', start: 0, end: 1 }, message: 'Yahoo has no 4h bars' },
});
