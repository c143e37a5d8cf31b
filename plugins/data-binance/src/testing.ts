export { startFakeBinance, type FakeBinance, type FakeBinanceOptions, type Fault, type KlineRow } from './testing/fake-binance.js';
export { FakeBinanceAccount, type Answer, type FakeAccountOptions, type FakeBalance } from './testing/fake-binance-account.js';
export { FakeUserStream, type UserStreamFault } from './testing/fake-user-stream.js';
