import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EXIT_REASONS, TradeLog, type TradeRecord } from './trade-log.js';

const trade = (n: number, symbol = 'BTC'): TradeRecord => ({
  strategyId: 'ma',
  symbol,
  direction: n % 3 === 0 ? 'short' : 'long',
  quantity: 0.5 + n,
  entryTime: n * 60_000,
  exitTime: n * 60_000 + 300_000,
  pnl: Math.round((n % 7) * 123.45 - 300) / 100,
  fees: 0.01 * n,
  ...(n % 5 === 4 ? {} : { exitReason: EXIT_REASONS[n % EXIT_REASONS.length]! }),
});

describe('trade log', () => {
  it('gives back every trade, field for field, while there is room', () => {
    const log = new TradeLog('ma', 8);
    const trades = [trade(1), trade(2, 'ETH'), trade(3), trade(4, 'SOL')];
    for (const t of trades) log.push(t);
    expect(log.length).toBe(4);
    expect(log.toArray()).toEqual(trades);
  });

  it('keeps the latest `capacity` trades, oldest first, for any number of trades and symbols', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.array(fc.constantFrom('BTC', 'ETH', 'SOL', 'SPY'), { maxLength: 200 }), (capacity, symbols) => {
        const log = new TradeLog('ma', capacity);
        const all = symbols.map((symbol, n) => trade(n, symbol));
        for (const t of all) log.push(t);
        expect(log.length).toBe(Math.min(capacity, all.length));
        expect(log.toArray()).toEqual(all.slice(Math.max(0, all.length - capacity)));
      }),
    );
  });

  it('keeps a trade of another strategy out, naming both', () => {
    const log = new TradeLog('rsi', 4);
    expect(() => log.push(trade(1))).toThrow('trade log of "rsi" was given a trade of "ma"');
  });

  it('refuses a capacity below one', () => {
    expect(() => new TradeLog('ma', 0)).toThrow('keeps at least 1 trade');
    expect(() => new TradeLog('ma', 2.5)).toThrow('keeps at least 1 trade');
  });
});
