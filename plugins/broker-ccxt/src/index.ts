import { defineBroker } from '@trading-orchestrator/plugin-api';
import { CcxtBroker } from './ccxt-broker.js';
import { ccxtBrokerConfig } from './config.js';

export { CcxtBroker } from './ccxt-broker.js';
export { clientOrderIdOf } from './client-order-id.js';
export { ccxtBrokerConfig, type CcxtBrokerConfig } from './config.js';

/** Trades on a venue through ccxt (Binance spot): `broker: { plugin: broker-ccxt, config: { apiKey, secret, sandbox } }`. */
export default defineBroker({
  configSchema: ccxtBrokerConfig,
  init(ctx) {
    return new CcxtBroker(ctx.config, ctx);
  },
});
