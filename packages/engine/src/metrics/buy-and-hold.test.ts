import { describe, expect, it } from 'vitest';
import { BuyAndHold } from './buy-and-hold.js';

const DAY = 86_400_000;

describe('buy and hold', () => {
  it('splits the capital equally, buys each symbol at its first price, holds cash for one not yet priced, and books every time', () => {
    const prices = new Map<string, number>();
    const bh = new BuyAndHold(10_000, ['SPY', 'BTC'], 64, { periodsPerYear: 365 }, (s) => prices.get(s) ?? Number.NaN);
    prices.set('SPY', 100);
    bh.record(0);
    prices.set('SPY', 110);
    prices.set('BTC', 20_000);
    bh.record(DAY);
    prices.set('SPY', 99);
    prices.set('BTC', 30_000);
    bh.record(2 * DAY);
    // SPY: 5,000 at 100 = 50 units; BTC: 5,000 at 20,000 = 0.25 units, bought a day later.
    expect(bh.result().equity.map((p) => p.equity)).toEqual([10_000, 50 * 110 + 5_000, 50 * 99 + 0.25 * 30_000]);
    expect(bh.result().finalEquity).toBe(12_450);
    expect(bh.result().metrics?.totalReturn).toBeCloseTo(0.245, 12);
    expect(bh.result().description).toBe('buy and hold: SPY, BTC in equal parts, bought at the first price after the run\'s warm-up, no fees');
  });

  it('continues from its state as if it had never stopped', () => {
    const prices = new Map<string, number>([['X', 10]]);
    const make = () => new BuyAndHold(1_000, ['X'], 64, { periodsPerYear: 365 }, (s) => prices.get(s) ?? Number.NaN);
    const straight = make();
    const resumed = make();
    for (let t = 0; t < 5; t++) {
      prices.set('X', 10 + t);
      straight.record(t * DAY);
      resumed.record(t * DAY);
    }
    const again = make();
    again.restore(JSON.parse(JSON.stringify(resumed.toState())));
    for (let t = 5; t < 10; t++) {
      prices.set('X', 10 + t * (t % 2 === 0 ? 1 : -0.5));
      straight.record(t * DAY);
      again.record(t * DAY);
    }
    expect(again.result()).toEqual(straight.result());
  });
});
