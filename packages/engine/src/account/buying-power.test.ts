import { describe, expect, it } from 'vitest';
import { affordable, claimOf, DEFAULT_ACCOUNT, type FillEstimate } from './buying-power.js';

/** Fills at 100 plus 10 bps of slippage, with a 10 bps fee. */
const estimate: FillEstimate = (side, quantity) => {
  const price = side === 'buy' ? 100.1 : 99.9;
  return { price, fee: Math.round(quantity * price * 10) / 10_000 };
};
const cash = DEFAULT_ACCOUNT;
const margin = { ...DEFAULT_ACCOUNT, type: 'margin' as const, leverage: 2 };

describe('buying power', () => {
  it('a cash account pays the value, the fee and the fee of selling again', () => {
    expect(claimOf({ side: 'buy', quantity: 10, opens: 10 }, cash, 1, estimate)).toEqual({ cash: 1001 + 1.001 + 0.999, exposure: 1001, price: 100.1 });
  });

  it('a cash buy the account cannot pay is cut to the whole lots it can', () => {
    const wallet = { cash: 1_000, equity: 1_000, grossExposure: 0 };
    const cut = affordable({ side: 'buy', quantity: 50, opens: 50 }, 1, 1, wallet, cash, estimate);
    expect(cut.quantity).toBe(9);
    expect(cut.claim.cash).toBeLessThanOrEqual(1_000);
    expect(affordable({ side: 'buy', quantity: 50, opens: 50 }, 1, 1, wallet, { ...cash, insufficientFunds: 'reject' }, estimate).quantity).toBe(0);
    expect(affordable({ side: 'buy', quantity: 50, opens: 50 }, 1, 1, { ...wallet, cash: 50 }, cash, estimate).quantity).toBe(0);
  });

  it('a reduction needs no money', () => {
    expect(affordable({ side: 'sell', quantity: 500, opens: 0 }, 1, 1, { cash: 0, equity: 0, grossExposure: 50_000 }, cash, estimate).quantity).toBe(500);
  });

  it('a margin account takes gross exposure up to equity times leverage; closing first frees what it held', () => {
    const wallet = { cash: -5_000, equity: 10_000, grossExposure: 15_000 };
    // Room for 5,000 of new exposure: 49 units at 100.1 (fees included).
    expect(affordable({ side: 'buy', quantity: 100, opens: 100 }, 1, 1, wallet, margin, estimate).quantity).toBe(49);
    // A reversal of a 150-unit long to a 150-unit short frees 14,985 first.
    expect(affordable({ side: 'sell', quantity: 300, opens: 150 }, 1, 1, wallet, margin, estimate).quantity).toBe(300);
  });

  it('values a contract by its multiplier', () => {
    // The value at the buying price, and twice (the leverage) the fee and the buy-sell spread on 50 units' worth.
    expect(claimOf({ side: 'buy', quantity: 1, opens: 1 }, margin, 50, estimate).exposure).toBeCloseTo(5_005 + 2 * (0.1001 + 0.2 * 50), 9);
  });
});
