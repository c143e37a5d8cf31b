import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { executionsOf, pairExecutions, summarise, type ComparedFill } from './fill-comparison.js';

const MINUTE = 60_000;
const fill = (over: Partial<ComparedFill>): ComparedFill => ({ orderId: 'ma-1', strategyId: 'ma', symbol: 'BTC/USDT', side: 'buy', quantity: 1, price: 100, fee: 0.1, time: 0, ...over });

describe('comparing a session\'s fills with a backtest\'s', () => {
  it('reads an order\'s fills as one execution at their volume-weighted price', () => {
    const [e] = executionsOf([fill({ quantity: 1, price: 100, time: 5 }), fill({ quantity: 3, price: 104, fee: 0.3, time: 9 })]);
    expect(e).toMatchObject({ orderId: 'ma-1', quantity: 4, price: 103, time: 5 });
    expect(e!.fee).toBeCloseTo(0.4, 12);
  });

  it('pairs the same strategy, symbol and side within the tolerance, says how much worse the session did, and leaves the rest alone', () => {
    const session = executionsOf([
      fill({ orderId: 'ma-1', time: MINUTE + 800, price: 100.5 }),
      fill({ orderId: 'ma-2', side: 'sell', time: 5 * MINUTE + 300, price: 109 }),
      fill({ orderId: 'ma-3', time: 9 * MINUTE, price: 99 }),
    ]);
    const backtest = executionsOf([
      fill({ orderId: 'b-1', time: MINUTE, price: 100 }),
      fill({ orderId: 'b-2', side: 'sell', time: 5 * MINUTE, price: 110 }),
      fill({ orderId: 'b-3', time: 20 * MINUTE, price: 98 }),
    ]);
    const pairs = pairExecutions(session, backtest, MINUTE);
    expect(pairs.map((p) => [p.session?.orderId, p.backtest?.orderId])).toEqual([['ma-1', 'b-1'], ['ma-2', 'b-2'], ['ma-3', undefined], [undefined, 'b-3']]);
    // Paid 0.5 more on the buy (+50 bps), received 1 less on the sell (+90.9 bps): both worse.
    expect(pairs[0]!.priceBps).toBeCloseTo(50, 9);
    expect(pairs[1]!.priceBps).toBeCloseTo(90.909, 3);
    const summary = summarise(pairs);
    expect(summary).toMatchObject({ matched: 2, onlyInSession: 1, onlyInBacktest: 1 });
    expect(summary.priceCost).toBeCloseTo(1.5, 12);
    expect(summary.meanPriceBps).toBeCloseTo((50 + 90.909) / 2, 2);
  });

  it('accounts for every execution once, whatever the fills', () => {
    const arbitraryFill = fc.record({
      orderId: fc.constantFrom('a', 'b', 'c', 'd', 'e'),
      strategyId: fc.constantFrom('ma', 'rsi'),
      symbol: fc.constantFrom('BTC/USDT', 'ETH/USDT'),
      side: fc.constantFrom('buy' as const, 'sell' as const),
      quantity: fc.double({ min: 0.001, max: 10, noNaN: true }),
      price: fc.double({ min: 1, max: 1e5, noNaN: true }),
      fee: fc.double({ min: 0, max: 5, noNaN: true }),
      time: fc.integer({ min: 0, max: 60 }).map((m) => m * MINUTE),
    });
    fc.assert(
      fc.property(fc.array(arbitraryFill, { maxLength: 30 }), fc.array(arbitraryFill, { maxLength: 30 }), (s, b) => {
        // One order id belongs to one strategy, symbol and side, as in a real run.
        const tidy = (fills: ComparedFill[]) => fills.map((f) => ({ ...f, ...fills.find((g) => g.orderId === f.orderId)!, quantity: f.quantity, price: f.price, fee: f.fee, time: f.time }));
        const session = executionsOf(tidy(s));
        const backtest = executionsOf(tidy(b));
        const pairs = pairExecutions(session, backtest, MINUTE);
        expect(pairs.filter((p) => p.session !== undefined)).toHaveLength(session.length);
        expect(pairs.filter((p) => p.backtest !== undefined)).toHaveLength(backtest.length);
        const summary = summarise(pairs);
        expect(summary.matched + summary.onlyInSession).toBe(session.length);
        expect(summary.matched + summary.onlyInBacktest).toBe(backtest.length);
      }),
    );
  });
});
