import { readFileSync } from 'node:fs';
import { startFakeBinance, type FakeBinance } from '@trading-orchestrator/data-binance/testing';
import type { BrokerPluginContext, Fill, Order, OrderIntent } from '@trading-orchestrator/plugin-api';
import { testDataFile } from '@trading-orchestrator/testdata';
import { afterEach, describe, expect, it } from 'vitest';
import { CcxtBroker, ccxtBrokerConfig } from '../src/index.js';

const API_KEY = 'kY7pQ2vL9xR4mN8wT1bZ6cF3hJ5sD0gA';
const SECRET = 'Sx9eW2qR7tY4uI1oP6aS3dF8gH5jK0lZcV2bN7mM4xQ9';

let server: FakeBinance | undefined;
let broker: CcxtBroker | undefined;
afterEach(async () => {
  await broker?.stop();
  await server?.close();
  broker = undefined;
  server = undefined;
});

/** A fake Binance with a funded account, and the broker on it through the real ccxt client. */
async function setup(options: { secret?: string; usdt?: number; pollMs?: number; ws?: string } = {}) {
  server = await startFakeBinance({
    exchangeInfo: JSON.parse(readFileSync(testDataFile('binance/rest/http_spot_market_exchange_info.json'), 'utf8')),
    account: { apiKey: API_KEY, secret: SECRET, balances: { USDT: options.usdt ?? 10_000, BTC: 0 } },
  });
  server.account!.setPrice('BTCUSDT', 40_000);
  const fills: Fill[] = [];
  const orders: Order[] = [];
  const connection: string[] = [];
  const logs: string[] = [];
  const abort = new AbortController();
  const ctx = {
    pluginId: 'broker:broker-ccxt',
    config: {},
    clock: { now: () => Date.now() },
    signal: abort.signal,
    logger: { debug: (m: string) => logs.push(m), info: (m: string) => logs.push(m), warn: (m: string) => logs.push(m), error: (m: string) => logs.push(m) },
    subscribe: () => () => undefined,
    reportFill: (f: Fill) => fills.push(f),
    reportOrder: (o: Order) => orders.push(o),
    reportConnection: (state: string, detail?: string) => connection.push(`${state}${detail === undefined ? '' : ` ${detail}`}`),
  } as unknown as BrokerPluginContext<unknown>;
  const config = ccxtBrokerConfig.parse({ apiKey: API_KEY, secret: options.secret ?? SECRET, urls: { rest: server.restUrl, ws: options.ws ?? server.wsApiUrl }, pollMs: options.pollMs ?? 100, requestTimeoutMs: 1_500 });
  broker = new CcxtBroker(config, ctx);
  await broker.start();
  return { server, broker, fills, orders, connection, logs, account: server.account! };
}

let sequence = 0;
const intent = (over: Partial<OrderIntent> = {}): OrderIntent => ({ id: `ma-crossover-${++sequence}`, symbol: 'BTC/USDT', side: 'buy', quantity: 0.01, type: 'market', reduceOnly: false, strategyId: 'ma-crossover', time: Date.now(), referencePrice: 40_000, ...over });
const noSecret = (text: string) => {
  expect(text).not.toContain(SECRET);
  expect(text).not.toContain(API_KEY);
};

describe('broker-ccxt on a Binance that checks what Binance checks, through the real ccxt client', () => {
  it('places a market order under the host\'s id, reports its fill once with the venue\'s trade id and the fee in the account currency', async () => {
    const { broker, fills, account } = await setup();
    const order = await broker.submit(intent({ id: 'ma-crossover-1' }));
    expect(order).toMatchObject({ id: 'ma-crossover-1', status: 'filled', filledQuantity: 0.01, averageFillPrice: 40_000 });
    expect(account.allOrders()).toEqual([expect.objectContaining({ clientOrderId: 'ma-crossover-1', status: 'FILLED' })]);
    await broker.pollOnce();
    await broker.pollOnce();
    // The 0.00001 BTC of commission came out of what was bought: the fill is what the account received, and the fee
    // its value, 0.40 USDT, so cash moves by the 400 USDT paid.
    expect(fills).toEqual([expect.objectContaining({ orderId: 'ma-crossover-1', side: 'buy', price: 40_000, tradeId: '5000', commission: { amount: 0.00001, currency: 'BTC' } })]);
    expect(fills[0]!.quantity).toBeCloseTo(0.00999, 12);
    expect(fills[0]!.fee).toBeCloseTo(0.4, 10);
    expect(fills[0]!.quantity * fills[0]!.price + fills[0]!.fee).toBeCloseTo(400, 8);
    expect(account.balances.get('USDT')).toEqual({ free: 9_600, locked: 0 });
    expect(account.balances.get('BTC')!.free).toBeCloseTo(0.00999, 12);
  });

  it('rounds to the market\'s lot and tick, and refuses what its filters or the balance would', async () => {
    const { broker, account } = await setup({ usdt: 1_000 });
    const rounded = await broker.submit(intent({ quantity: 0.0123456789, type: 'limit', limitPrice: 39_000.123 }));
    expect(rounded).toMatchObject({ status: 'accepted', quantity: 0.01234, limitPrice: 39_000.12 });
    const tiny = await broker.submit(intent({ quantity: 0.0002 }));
    expect(tiny).toMatchObject({ status: 'rejected', reason: 'an order worth 8.00 is below the market\'s minimum notional (10)' });
    const broke = await broker.submit(intent({ quantity: 0.5 }));
    expect(broke.status).toBe('rejected');
    expect(broke.reason).toContain('Account has insufficient balance for requested action.');
    expect(account.allOrders()).toHaveLength(1);
  });

  it('rests a limit order, reports a partial fill, and cancels the rest, freeing what it held', async () => {
    const { broker, fills, orders, account } = await setup();
    const placed = await broker.submit(intent({ id: 'rsi-7', type: 'limit', limitPrice: 39_500, quantity: 0.02 }));
    expect(placed.status).toBe('accepted');
    expect(account.balances.get('USDT')).toEqual({ free: 10_000 - 790, locked: 790 });
    account.fillPartially(Number(account.allOrders()[0]!['orderId']), 0.005);
    await broker.pollOnce();
    expect(fills.map((f) => [f.orderId, f.price])).toEqual([['rsi-7', 39_500]]);
    expect(fills[0]!.quantity).toBeCloseTo(0.005 * 0.999, 12);
    const cancelled = await broker.cancel('rsi-7');
    expect(cancelled).toMatchObject({ status: 'cancelled', filledQuantity: 0.005 });
    expect(account.balances.get('USDT')!.locked).toBeCloseTo(0, 9);
    expect(account.balances.get('USDT')!.free).toBeCloseTo(10_000 - 0.005 * 39_500, 9);
    expect(await broker.cancel('rsi-7')).toBeUndefined();
    await broker.pollOnce();
    expect(orders).toEqual([]);
  });

  it('amends a working limit order through Binance\'s cancel-replace, keeping the host\'s id', async () => {
    const { broker, account } = await setup();
    await broker.submit(intent({ id: 'rsi-9', type: 'limit', limitPrice: 39_000, quantity: 0.01 }));
    const moved = await broker.modify('rsi-9', { limitPrice: 39_200.5, quantity: 0.02 });
    expect(moved).toMatchObject({ id: 'rsi-9', status: 'accepted', quantity: 0.02, limitPrice: 39_200.5 });
    const venue = account.allOrders();
    expect(venue.map((o) => [o['clientOrderId'], o['status'], o['price']])).toEqual([
      ['rsi-9', 'CANCELED', '39000.00000000'],
      ['rsi-9', 'NEW', '39200.50000000'],
    ]);
    expect(account.balances.get('USDT')).toEqual({ free: 10_000 - 784.01, locked: 784.01 });
  });

  it('finds an order whose answer was lost by its client order id, and never places it twice', async () => {
    const { broker, account, server } = await setup();
    server.fail('/api/v3/order', { kind: 'lost' });
    const order = await broker.submit(intent({ id: 'ma-crossover-lost' }));
    expect(order).toMatchObject({ id: 'ma-crossover-lost', status: 'filled' });
    expect(account.allOrders().filter((o) => o['clientOrderId'] === 'ma-crossover-lost')).toHaveLength(1);
    // Rate-limited before the venue looked at it: not placed, looked up, then sent once.
    server.fail('/api/v3/order', { kind: 'status', status: 429, retryAfterSeconds: 1 });
    const limited = await broker.submit(intent({ id: 'ma-crossover-limited' }));
    expect(limited.status).toBe('filled');
    expect(account.allOrders().filter((o) => o['clientOrderId'] === 'ma-crossover-limited')).toHaveLength(1);
    // Banned for a while (418, Binance's answer to ignoring 429s): the same, never twice.
    server.fail('/api/v3/order', { kind: 'status', status: 418, retryAfterSeconds: 1 });
    const banned = await broker.submit(intent({ id: 'ma-crossover-banned' }));
    expect(banned.status).toBe('filled');
    expect(account.allOrders().filter((o) => o['clientOrderId'] === 'ma-crossover-banned')).toHaveLength(1);
  });

  it('is refused with Binance\'s own words when the signature is wrong, and no key or secret is in any message', async () => {
    const { broker, logs } = await setup({ secret: `${SECRET.slice(0, -1)}X` });
    const order = await broker.submit(intent());
    expect(order.status).toBe('rejected');
    expect(order.reason).toContain('Signature for this request is not valid.');
    noSecret(JSON.stringify(order));
    for (const line of logs) noSecret(line);
  });

  it('recognises its orders and fills after a restart by their client order ids', async () => {
    const { broker: first, account, server } = await setup();
    await first.submit(intent({ id: 'bollinger-3' }));
    const config = ccxtBrokerConfig.parse({ apiKey: API_KEY, secret: SECRET, urls: { rest: server.restUrl, ws: server.wsApiUrl }, pollMs: 100 });
    const again = new CcxtBroker(config, { clock: { now: () => Date.now() }, signal: new AbortController().signal, logger: { warn: () => undefined } } as unknown as BrokerPluginContext<unknown>);
    await again.start();
    const fills = await again.fillsSince(0, ['BTC/USDT']);
    expect(fills.map((f) => [f.orderId, f.tradeId])).toEqual([['bollinger-3', String(account.allTrades()[0]!['id'])]]);
    await again.stop();
  });

  it('takes over a working order its previous process sent when the host asks for it by id: follows it to its end and cancels it', async () => {
    const { broker: first, account, server } = await setup();
    await first.submit(intent({ id: 'rsi-9', type: 'limit', limitPrice: 39_000, quantity: 0.02 }));
    const reported: Order[] = [];
    const config = ccxtBrokerConfig.parse({ apiKey: API_KEY, secret: SECRET, urls: { rest: server.restUrl, ws: server.wsApiUrl }, pollMs: 100 });
    const again = new CcxtBroker(config, { clock: { now: () => Date.now() }, signal: new AbortController().signal, logger: { warn: () => undefined }, reportFill: () => undefined, reportOrder: (o: Order) => reported.push(o) } as unknown as BrokerPluginContext<unknown>);
    await again.start();
    try {
      // Unknown to this process until asked: a cancel of it is nothing to do.
      expect(await again.cancel('rsi-9')).toBeUndefined();
      expect(await again.orderStatus('rsi-0', 'BTC/USDT')).toBeUndefined();
      expect(await again.orderStatus('rsi-9', 'BTC/USDT')).toMatchObject({ id: 'rsi-9', status: 'accepted', quantity: 0.02, limitPrice: 39_000 });
      account.fillPartially(Number(account.allOrders()[0]!['orderId']), 0.01);
      expect(await again.cancel('rsi-9')).toMatchObject({ id: 'rsi-9', status: 'cancelled', filledQuantity: 0.01 });
      expect(account.allOrders()[0]!['status']).toBe('CANCELED');
      await again.pollOnce();
      // The host learnt the end from the cancel's answer: it is not reported again.
      expect(reported).toEqual([]);
    } finally {
      await again.stop();
    }
  });

  it('reports a fill from the private stream as it happens, without waiting for polling', async () => {
    const { broker, fills, server, account } = await setup({ pollMs: 3_600_000 });
    await server.userStream!.whenSubscribed();
    await broker.submit(intent({ id: 'rsi-21', type: 'limit', limitPrice: 39_000, quantity: 0.02 }));
    account.fillPartially(Number(account.allOrders()[0]!['orderId']), 0.005);
    await until(() => fills.length === 1);
    const [trade] = account.allTrades();
    expect(fills[0]).toMatchObject({ orderId: 'rsi-21', tradeId: String(trade!['id']), price: 39_000, side: 'buy' });
    expect(fills[0]!.quantity).toBeCloseTo(0.005 * 0.999, 12);
  });

  it('reports each trade once when the stream repeats and reorders its reports, and finds by polling what a dropped stream missed', async () => {
    const { broker, fills, server, account, logs } = await setup({ pollMs: 3_600_000 });
    const stream = server.userStream!;
    await stream.whenSubscribed();
    const venueId = async (id: string) => (await broker.submit(intent({ id, type: 'limit', limitPrice: 39_000, quantity: 0.03 })), Number(account.allOrders().find((o) => o['clientOrderId'] === id)!['orderId']));
    const first = await venueId('rsi-31');
    stream.fail({ kind: 'duplicate', count: 2 });
    account.fillPartially(first, 0.01);
    account.fillPartially(first, 0.01);
    await until(() => fills.length === 2);
    // The next three reports come newest first.
    stream.fail({ kind: 'reverse', count: 3 });
    account.fillPartially(first, 0.005);
    account.fillPartially(first, 0.005);
    const second = await venueId('rsi-32');
    await until(() => fills.length === 4);
    stream.drop();
    account.fillPartially(second, 0.01);
    await new Promise((r) => setTimeout(r, 200));
    expect(fills).toHaveLength(4);
    await broker.pollOnce();
    expect(fills).toHaveLength(5);
    // Subscribed again after its wait: the stream brings the next fill by itself.
    await until(() => stream.subscribers === 1, 10_000);
    account.fillPartially(second, 0.01);
    await until(() => fills.length === 6);
    await broker.pollOnce();
    const venue = account.allTrades().map((t) => String(t['id']));
    expect(fills.map((f) => f.tradeId).sort()).toEqual(venue.sort());
    expect(logs.some((l) => /the private stream of binance failed .*; fills come by polling every 3600000 ms until it is back/.test(l))).toBe(true);
    expect(logs).toContain('the private stream of binance is back');
  });
});

describe('broker-ccxt without its private stream', () => {
  it('trades on by polling when the stream cannot be reached, saying so once', async () => {
    const { broker, fills, logs } = await setup({ ws: 'ws://127.0.0.1:9/ws-api/v3' });
    await broker.submit(intent({ id: 'ma-crossover-91' }));
    await until(() => fills.length === 1);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(logs.filter((l) => l.startsWith('the private stream of binance failed'))).toHaveLength(1);
  });
});

async function until(test: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
