import { readFileSync } from 'node:fs';
import { startFakeBinance } from '@trading-orchestrator/data-binance/testing';
import { describeBrokerConformance } from '@trading-orchestrator/plugin-testkit';
import { testDataFile } from '@trading-orchestrator/testdata';
import plugin, { type CcxtBroker } from '../src/index.js';

const API_KEY = 'cF4nR8tW1yB6mK3vX9pL2qZ7hD5sJ0gA';
const SECRET = 'Wq3Er7Ty1Ui5Op9As2Df6Gh0Jk4Lz8Xc3Vb7Nm1Qw5Er9Ty2';
const HOUR_OF_503 = Array.from({ length: 10_000 }, () => ({ kind: 'status' as const, status: 503 }));

// broker-ccxt passes the suite third-party broker authors run, on a local Binance that checks signatures, filters
// and the balance, through the real ccxt client; time passes as one round of the broker's polling.
describeBrokerConformance('broker-ccxt', {
  definition: plugin,
  packageJson: new URL('../package.json', import.meta.url),
  validConfig: { apiKey: 'key', secret: 'secret' },
  invalidConfigs: [
    { config: { apiKey: '', secret: 'secret' }, paths: ['apiKey'] },
    { config: { apiKey: 'key', secret: 'secret', pollMs: 10 }, paths: ['pollMs'] },
  ],
  venue: async () => {
    const server = await startFakeBinance({
      exchangeInfo: JSON.parse(readFileSync(testDataFile('binance/rest/http_spot_market_exchange_info.json'), 'utf8')),
      account: { apiKey: API_KEY, secret: SECRET, balances: { USDT: 10_000, BTC: 0 } },
    });
    const account = server.account!;
    account.setPrice('BTCUSDT', 40_000);
    const byClientId = (id: string) => account.allOrders().filter((o) => o['clientOrderId'] === id);
    return {
      // Polling is the suite's to drive: the broker's own loop waits an hour.
      config: { apiKey: API_KEY, secret: SECRET, urls: { rest: server.restUrl, ws: server.wsApiUrl }, pollMs: 3_600_000, requestTimeoutMs: 1_500 },
      symbol: 'BTC/USDT',
      price: 40_000,
      quantity: 0.01,
      unaffordable: 1,
      async pass(broker, price) {
        account.setPrice('BTCUSDT', price);
        await (broker as CcxtBroker).pollOnce();
        return undefined;
      },
      fillPartially: async (orderId, quantity) => account.fillPartially(Number(byClientId(orderId)[0]!['orderId']), quantity),
      loseNextAnswer: () => server.fail('/api/v3/order', { kind: 'lost' }),
      ordersWithId: (orderId) => byClientId(orderId).length,
      disconnect: () => server.fail('/api/v3/myTrades', ...HOUR_OF_503),
      reconnect: () => server.heal('/api/v3/myTrades'),
      close: () => server.close(),
    };
  },
});
