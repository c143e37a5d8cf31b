import type { Bar, Broker, Fill, OrderIntent } from '@trading-orchestrator/plugin-api';
import { describe, expect, it } from 'vitest';
import { paperBroker } from './paper-broker.js';
import { paperBrokerConfig } from './paper-broker-config.js';

const DAY = 86_400_000;
const bar = (day: number, open: number, high: number, low: number, close: number, symbol = 'SPY'): Bar => ({ symbol, timeframe: '1d', time: day * DAY, open, high, low, close, volume: 1_000 });
const intent = (fields: Partial<OrderIntent> = {}): OrderIntent => ({
  id: 'o1', symbol: 'SPY', side: 'buy', quantity: 10, type: 'market', reduceOnly: false, strategyId: 'trend', time: 0, referencePrice: 100, ...fields,
});

async function broker(config: object = {}) {
  const reported: { id: string; status: string; reason?: string }[] = [];
  const ctx = {
    pluginId: 'paper', config: paperBrokerConfig.parse(config), logger: { debug() {}, info() {}, warn() {}, error() {} }, clock: { now: () => 0 },
    signal: new AbortController().signal, subscribe: () => () => {}, reportFill: () => {}, reportOrder: (o: { id: string; status: string; reason?: string }) => reported.push(o),
  };
  return { b: (await paperBroker.init(ctx as never)) as Broker, reported };
}
const fillsOn = async (b: Broker, x: Bar) => ((await b.onBar!(x)) ?? []) as Fill[];

describe('paper broker', () => {
  it('fills a market order at the next bar’s open, never on the bar of the signal', async () => {
    const { b } = await broker({ feeBps: 10 });
    expect((await b.submit(intent({ time: 1 * DAY }))).status).toBe('accepted');
    expect(await fillsOn(b, bar(1, 99, 101, 98, 100))).toEqual([]);
    expect(await fillsOn(b, bar(2, 102, 103, 101, 102.5))).toEqual([{ orderId: 'o1', symbol: 'SPY', side: 'buy', quantity: 10, price: 102, fee: 1.02, time: 2 * DAY, liquidity: 'taker' }]);
    expect(await b.openOrders!()).toEqual([]);
  });

  it('applies adverse slippage in bps or as a share of the bar’s range, and a fee schedule per symbol', async () => {
    const bps = (await broker({ slippage: { bps: 50 }, feeSchedule: { SPY: 0 } })).b;
    await bps.submit(intent());
    expect((await fillsOn(bps, bar(1, 100, 104, 96, 101)))[0]).toMatchObject({ price: 100.5, fee: 0 });
    const range = (await broker({ slippage: { rangeShare: 0.25 }, minFee: 1 })).b;
    await range.submit(intent({ side: 'sell' }));
    expect((await fillsOn(range, bar(1, 100, 104, 96, 101)))[0]).toMatchObject({ price: 98, fee: 1 });
  });

  it('fills a limit order only when the bar trades through it, at the limit or better', async () => {
    const { b } = await broker({ feeBps: 0 });
    await b.submit(intent({ type: 'limit', limitPrice: 95 }));
    expect(await fillsOn(b, bar(1, 100, 101, 96, 97))).toEqual([]);
    expect((await fillsOn(b, bar(2, 97, 98, 94, 95)))[0]).toMatchObject({ price: 95 });
    await b.submit(intent({ id: 'o2', type: 'limit', limitPrice: 95, time: 2 * DAY }));
    expect((await fillsOn(b, bar(3, 93, 96, 92, 95)))[0]).toMatchObject({ orderId: 'o2', price: 93 });
  });

  it('a bracket exits at the stop or the target; when both lie in one bar the stop is assumed', async () => {
    const { b, reported } = await broker({ feeBps: 0 });
    await b.submit(intent({ stopLoss: 95, takeProfit: 110 }));
    await fillsOn(b, bar(1, 100, 101, 99, 100));
    expect(await fillsOn(b, bar(2, 100, 105, 97, 104))).toEqual([]);
    expect(await fillsOn(b, bar(3, 104, 111, 94, 100))).toEqual([{ orderId: 'o1:stop-loss', symbol: 'SPY', side: 'sell', quantity: 10, price: 95, fee: 0, time: 3 * DAY, liquidity: 'taker', exitReason: 'stop-loss' }]);
    expect(await fillsOn(b, bar(4, 100, 120, 80, 100))).toEqual([]);
    expect(reported.map((o) => `${o.id} ${o.status}`)).toEqual(['o1 filled', 'o1:stop-loss filled']);
  });

  it('a gap through a level fills at the open; a take-profit fills at its level', async () => {
    const { b } = await broker({ feeBps: 0 });
    await b.submit(intent({ stopLoss: 95, takeProfit: 110 }));
    await fillsOn(b, bar(1, 100, 101, 99, 100));
    expect((await fillsOn(b, bar(2, 90, 92, 88, 91)))[0]).toMatchObject({ orderId: 'o1:stop-loss', price: 90 });
    await b.submit(intent({ id: 'o2', side: 'sell', stopLoss: 105, takeProfit: 90, time: 2 * DAY }));
    await fillsOn(b, bar(3, 100, 101, 99, 100));
    expect((await fillsOn(b, bar(4, 95, 96, 89, 92)))[0]).toMatchObject({ orderId: 'o2:take-profit', side: 'buy', price: 90 });
  });

  it('the entry bar’s own range can trigger the stop (conservative)', async () => {
    const { b } = await broker({ feeBps: 0 });
    await b.submit(intent({ stopLoss: 97 }));
    const fills = await fillsOn(b, bar(1, 100, 101, 96, 99));
    expect(fills.map((f) => `${f.orderId} ${f.price}`)).toEqual(['o1 100', 'o1:stop-loss 97']);
  });

  it('closing the position with an order cancels its bracket', async () => {
    const { b, reported } = await broker({ feeBps: 0 });
    await b.submit(intent({ stopLoss: 95 }));
    await fillsOn(b, bar(1, 100, 101, 99, 100));
    await b.submit(intent({ id: 'exit', side: 'sell', reduceOnly: true, time: 1 * DAY }));
    expect((await fillsOn(b, bar(2, 101, 102, 90, 95))).map((f) => f.orderId)).toEqual(['exit']);
    expect(reported.at(-1)).toMatchObject({ id: 'o1:bracket', status: 'cancelled', reason: 'position closed' });
  });

  it('rejects malformed orders with a reason, and cancels working ones', async () => {
    const { b } = await broker();
    expect(await b.submit(intent({ quantity: 0 }))).toMatchObject({ status: 'rejected', reason: 'quantity must be a positive number, got 0' });
    expect(await b.submit(intent({ type: 'limit' }))).toMatchObject({ status: 'rejected', reason: 'a limit order needs a positive limitPrice' });
    await b.submit(intent());
    expect(await b.submit(intent())).toMatchObject({ status: 'rejected', reason: 'an order with id o1 is already working' });
    expect(await b.cancel('o1')).toMatchObject({ status: 'cancelled' });
    expect(await b.cancel('o1')).toBeUndefined();
    expect(await fillsOn(b, bar(1, 100, 101, 99, 100))).toEqual([]);
  });

  it('orders for other symbols wait for their own bars', async () => {
    const { b } = await broker();
    await b.submit(intent({ symbol: 'BTC' }));
    expect(await fillsOn(b, bar(1, 100, 101, 99, 100, 'SPY'))).toEqual([]);
    expect((await fillsOn(b, bar(1, 30_000, 30_100, 29_900, 30_050, 'BTC')))[0]).toMatchObject({ symbol: 'BTC', price: 30_000 });
  });

  it('fills the orders due on a bar in the order they were submitted, and keeps the rest working', async () => {
    const { b } = await broker();
    await b.submit(intent({ id: 'a' }));
    await b.submit(intent({ id: 'c' }));
    await b.submit(intent({ id: 'b', symbol: 'BTC' }));
    await b.submit(intent({ id: 'd', type: 'limit', limitPrice: 90 }));
    await b.submit(intent({ id: 'e', strategyId: 'other' }));
    expect((await fillsOn(b, bar(1, 100, 101, 99, 100))).map((f) => f.orderId)).toEqual(['a', 'c', 'e']);
    expect((await b.openOrders!()).map((o) => o.id)).toEqual(['b', 'd']);
    expect(await b.health!()).toMatchObject({ metrics: { workingOrders: 2 } });
    expect((await fillsOn(b, bar(2, 100, 101, 99, 100, 'BTC'))).map((f) => f.orderId)).toEqual(['b']);
    expect((await b.openOrders!()).map((o) => o.id)).toEqual(['d']);
  });

  it('trails a stop behind the best price by a distance or a percentage, and never moves it back', async () => {
    const { b } = await broker({ feeBps: 0 });
    await b.submit(intent({ trailingStop: { distance: 5, unit: 'price' } }));
    await fillsOn(b, bar(1, 100, 102, 98, 101));
    // After bar 1 the level is 102 − 5 = 97; bar 2 makes a new high of 110: level 105.
    expect(await fillsOn(b, bar(2, 101, 110, 99, 108))).toEqual([]);
    // Bar 3 falls to 103 after a high of 107: 105 is reached, the 107 of this bar does not lower it.
    expect(await fillsOn(b, bar(3, 107, 107, 103, 104))).toEqual([expect.objectContaining({ orderId: 'o1:trailing-stop', price: 105, exitReason: 'trailing-stop', quantity: 10 })]);
    const short = (await broker({ feeBps: 0 })).b;
    await short.submit(intent({ side: 'sell', trailingStop: { distance: 10, unit: 'percent' } }));
    await fillsOn(short, bar(1, 100, 101, 90, 95));
    // Best low 90: level 99. A gap up to 120 fills at the open.
    expect(await fillsOn(short, bar(2, 120, 125, 118, 121))).toEqual([expect.objectContaining({ orderId: 'o1:trailing-stop', side: 'buy', price: 120 })]);
  });

  it('takes the higher of a stop-loss and a trailing level, and says which one fired', async () => {
    const { b } = await broker({ feeBps: 0 });
    await b.submit(intent({ stopLoss: 96, trailingStop: { distance: 10, unit: 'price' } }));
    await fillsOn(b, bar(1, 100, 101, 99, 100));
    expect(await fillsOn(b, bar(2, 100, 100.5, 95, 96))).toEqual([expect.objectContaining({ orderId: 'o1:stop-loss', price: 96 })]);
  });

  it('closes an entry after its bars at the next open: a time exit, with slippage', async () => {
    const { b } = await broker({ feeBps: 0, slippage: { bps: 100 } });
    await b.submit(intent({ exitAfterBars: 2 }));
    expect(await fillsOn(b, bar(1, 100, 101, 99, 100))).toHaveLength(1);
    expect(await fillsOn(b, bar(2, 100, 101, 99, 100))).toEqual([]);
    expect(await fillsOn(b, bar(3, 90, 101, 89, 100))).toEqual([expect.objectContaining({ orderId: 'o1:time-exit', side: 'sell', price: 89.1, exitReason: 'time-exit' })]);
  });

  it('protects each entry of a position that was added to, and lets the newest brackets give way when it shrinks', async () => {
    const { b } = await broker({ feeBps: 0 });
    await b.submit(intent({ id: 'a', takeProfit: 105 }));
    await fillsOn(b, bar(1, 100, 101, 99, 100));
    await b.submit(intent({ id: 'b', takeProfit: 120, time: 1 * DAY }));
    await fillsOn(b, bar(2, 100, 101, 99, 100));
    // A partial exit of 15 of the 20 held: the newer bracket (b) gives way first and keeps 5.
    await b.submit(intent({ id: 'c', side: 'sell', quantity: 15, reduceOnly: true, time: 2 * DAY }));
    await fillsOn(b, bar(3, 100, 101, 99, 100));
    // 5 left: bracket a's target 105 covers them, bracket b has nothing left to protect.
    expect(await fillsOn(b, bar(4, 100, 130, 99, 100))).toEqual([expect.objectContaining({ orderId: 'a:take-profit', quantity: 5, price: 105 })]);
    expect(await fillsOn(b, bar(5, 100, 130, 99, 100))).toEqual([]);
  });

  it('a reversal drops the old side’s brackets and protects only what it opened on the new side', async () => {
    const { b } = await broker({ feeBps: 0 });
    await b.submit(intent({ id: 'long', stopLoss: 90 }));
    await fillsOn(b, bar(1, 100, 101, 99, 100));
    await b.submit(intent({ id: 'flip', side: 'sell', quantity: 25, stopLoss: 110, time: 1 * DAY }));
    await fillsOn(b, bar(2, 100, 101, 99, 100));
    expect(await fillsOn(b, bar(3, 100, 111, 85, 100))).toEqual([expect.objectContaining({ orderId: 'flip:stop-loss', side: 'buy', quantity: 15, price: 110 })]);
  });

  it('estimates a market fill’s price and fee for buying-power checks', async () => {
    const { b } = await broker({ feeBps: 10, slippage: { bps: 50 }, minFee: 1 });
    expect(b.estimateFill!('SPY', 'buy', 10, 100)).toEqual({ price: 100.5, fee: 1.01 });
    expect(b.estimateFill!('SPY', 'sell', 1, 100)).toEqual({ price: 99.5, fee: 1 });
    const range = (await broker({ slippage: { rangeShare: 0.5 } })).b;
    await fillsOn(range, bar(1, 100, 104, 96, 101));
    expect(range.estimateFill!('SPY', 'buy', 1, 100).price).toBe(104);
  });

  it('never charges a fee above the value of the fill', async () => {
    const { b } = await broker({ feeBps: 0, minFee: 5 });
    await b.submit(intent({ quantity: 0.01 }));
    expect((await fillsOn(b, bar(1, 100, 101, 99, 100)))[0]).toMatchObject({ fee: 1 });
  });
});
