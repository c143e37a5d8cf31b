import fc from 'fast-check';
import type { Fill } from '@trading-orchestrator/plugin-api';
import { describe, expect, it } from 'vitest';
import { Ledger } from './ledger.js';
import { toCents } from './money.js';

const fill = (side: 'buy' | 'sell', quantity: number, price: number, fee = 0, symbol = 'SPY', time = 0): Fill => ({ orderId: 'o', symbol, side, quantity, price, fee, time });

describe('ledger, checked by hand', () => {
  it('a long round trip: cash, fees and realised P&L add up to the cent', () => {
    const l = new Ledger(10_000);
    l.applyFill('s', fill('buy', 10, 100.125, 1.0)); // notional 1001.25
    expect(l.cash).toBe(8_997.75);
    const effect = l.applyFill('s', fill('sell', 10, 103.5, 1.04)); // notional 1035.00
    expect(effect).toMatchObject({ quantityBefore: 10, quantityAfter: 0, realized: 3_375, fee: 104 });
    expect(l.cash).toBe(10_031.71);
    expect([l.realized, l.fees]).toEqual([33.75, 2.04]);
    expect(l.cash).toBe(10_000 + l.realized - l.fees);
  });

  it('a short round trip and a partial close', () => {
    const l = new Ledger(5_000);
    l.applyFill('s', fill('sell', 4, 50)); // short 4 @ 50, received 200
    l.applyFill('s', fill('buy', 1, 45)); // cover 1: realised +5
    expect(l.quantity('s', 'SPY')).toBe(-3);
    expect(l.realized).toBe(5);
    l.mark('SPY', 40);
    const snap = l.snapshot(1);
    expect(snap.positions).toEqual([{ symbol: 'SPY', quantity: -3, averagePrice: 50, marketPrice: 40, unrealizedPnl: 30, realizedPnl: 5, openedAt: 0 }]);
    expect(snap.equity).toBe(5_000 + 5 + 30);
  });

  it('a fill through zero closes the old position and opens the other side at the fill price', () => {
    const l = new Ledger(10_000);
    l.applyFill('s', fill('buy', 5, 100));
    const e = l.applyFill('s', fill('sell', 8, 110, 0, 'SPY', 9));
    expect(e).toMatchObject({ quantityBefore: 5, quantityAfter: -3, realized: 5_000 });
    const [p] = l.snapshot(9).positions;
    expect(p).toMatchObject({ quantity: -3, averagePrice: 110, openedAt: 9 });
  });

  it('keeps strategies apart while the book nets them', () => {
    const l = new Ledger(20_000);
    l.applyFill('trend', fill('buy', 10, 100));
    l.applyFill('revert', fill('sell', 4, 101));
    expect(l.netQuantity('SPY')).toBe(6);
    expect(l.positionsOf('trend').map((p) => p.quantity)).toEqual([10]);
    l.mark('SPY', 105);
    expect(l.strategyEquity({ strategyId: 'trend', allocation: toCents(10_000) })).toBe(10_050);
    expect(l.strategyEquity({ strategyId: 'revert', allocation: toCents(10_000) })).toBe(9_984);
    expect(l.snapshot(0).equity).toBe(20_000 + 50 - 16);
  });

  it('a ledger restored over one that was trading marks and values positions as the original does', () => {
    const original = new Ledger(100_000);
    original.applyFill('a', fill('buy', 10, 100, 1, 'SPY'));
    original.mark('SPY', 101);
    const resumed = new Ledger(100_000);
    resumed.applyFill('a', fill('buy', 3, 50, 0, 'SPY'));
    resumed.mark('SPY', 55);
    const slice = resumed.slice('a', toCents(50_000));
    resumed.restore(JSON.parse(JSON.stringify(original.toState())));
    for (const ledger of [original, resumed]) ledger.mark('SPY', 104);
    expect(resumed.equity()).toBe(original.equity());
    expect(resumed.equity()).toBe(100_000 - 1 + 10 * 4);
    expect(slice.equity()).toBe(50_000 - 1 + 10 * 4);
  });
});

describe('ledger reconciliation (property)', () => {
  const fills = fc.array(
    fc.record({
      strategy: fc.constantFrom('a', 'b'),
      symbol: fc.constantFrom('SPY', 'BTC'),
      side: fc.constantFrom('buy' as const, 'sell' as const),
      quantity: fc.oneof(fc.integer({ min: 1, max: 500 }), fc.double({ min: 0.0001, max: 3, noNaN: true })),
      price: fc.double({ min: 0.01, max: 70_000, noNaN: true }),
      fee: fc.double({ min: 0, max: 50, noNaN: true }),
    }),
    { maxLength: 200 },
  );

  it('cash = initial − fees + realised − open cost basis, exactly in cents, after any sequence of fills', () => {
    fc.assert(
      fc.property(fills, (seq) => {
        const l = new Ledger(1_000_000);
        let realized = 0;
        let fees = 0;
        for (const f of seq) {
          const e = l.applyFill(f.strategy, fill(f.side, f.quantity, f.price, f.fee, f.symbol));
          realized += e.realized;
          fees += e.fee;
        }
        const cash = toCents(l.cash);
        return Number.isInteger(cash) && cash === toCents(1_000_000) - fees + realized - l.openCost() && toCents(l.realized) === realized && toCents(l.fees) === fees;
      }),
      { numRuns: 300 },
    );
  });

  it('equity is cash plus the marked value of every position, and the strategies’ equities add up to it', () => {
    fc.assert(
      fc.property(fills, fc.double({ min: 1, max: 1000, noNaN: true }), (seq, mark) => {
        const l = new Ledger(1_000_000);
        for (const f of seq) l.applyFill(f.strategy, fill(f.side, f.quantity, f.price, f.fee, f.symbol));
        l.mark('SPY', mark);
        l.mark('BTC', mark * 50);
        const snap = l.snapshot(0);
        const value = snap.positions.reduce((s, p) => s + p.quantity * p.marketPrice, 0);
        const strategies = ['a', 'b'].reduce((s, id) => s + l.strategyEquity({ strategyId: id, allocation: toCents(500_000) }), 0);
        return Math.abs(snap.equity - (snap.cash + value)) < 0.01 + 1e-9 * Math.abs(value) && Math.abs(strategies - snap.equity) <= 0.02 + 1e-9 * Math.abs(value);
      }),
      { numRuns: 200 },
    );
  });

  it('opposite positions of two strategies net to nothing: the book is flat, the strategies are not', () => {
    const hedged = new Ledger(1_000_000);
    hedged.applyFill('a', fill('buy', 3, 100, 0, 'SPY'));
    hedged.applyFill('b', fill('sell', 3, 100, 0, 'SPY'));
    expect([hedged.isExposed(), hedged.isExposed('a'), hedged.isExposed('b'), hedged.snapshot(0).positions.length]).toEqual([false, true, true, 0]);
  });

  it('the per-bar questions answer what the snapshot says, to the last bit', () => {
    fc.assert(
      fc.property(fills, fc.double({ min: 1, max: 1000, noNaN: true }), (seq, mark) => {
        const l = new Ledger(1_000_000);
        for (const f of seq) l.applyFill(f.strategy, fill(f.side, f.quantity, f.price, f.fee, f.symbol));
        l.mark('SPY', mark);
        const snap = l.snapshot(0);
        // A restored ledger answers the same.
        const restored = new Ledger(1_000_000);
        restored.restore(JSON.parse(JSON.stringify(l.toState())));
        for (const ledger of [l, restored]) {
          expect(ledger.equity()).toBe(snap.equity);
          // One symbol's position, as the snapshot lists it (undefined when flat).
          for (const symbol of ['SPY', 'QQQ', 'BTC']) expect(ledger.accountPosition(symbol)).toEqual(snap.positions.find((p) => p.symbol === symbol));
          expect(ledger.isExposed()).toBe(snap.positions.length > 0);
          for (const id of ['a', 'b']) expect(ledger.isExposed(id)).toBe(ledger.positionsOf(id).length > 0);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('answered between any fills and marks, the per-bar questions match a ledger rebuilt from scratch, to the last bit', () => {
    // The answers are remembered while nothing they depend on changes; a ledger restored from the state remembers
    // nothing, so it computes them afresh.
    const step = fc.oneof(
      fc.record({ kind: fc.constant('fill' as const), strategy: fc.constantFrom('a', 'b'), symbol: fc.constantFrom('SPY', 'BTC'), side: fc.constantFrom('buy' as const, 'sell' as const), quantity: fc.integer({ min: 1, max: 5 }), price: fc.double({ min: 1, max: 1_000, noNaN: true }) }),
      fc.record({ kind: fc.constant('mark' as const), symbol: fc.constantFrom('SPY', 'BTC', 'ETH'), price: fc.double({ min: 1, max: 1_000, noNaN: true }) }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), fc.integer({ min: 1, max: 3 }), (steps, askEvery) => {
        const l = new Ledger(100_000);
        // Slices are taken before any trade, and on a ledger that is then restored again and again: they stay bound.
        const slices = ['a', 'b', 'c'].map((id) => l.slice(id, toCents(50_000)));
        const restoredInPlace = new Ledger(100_000);
        const restoredSlices = ['a', 'b', 'c'].map((id) => restoredInPlace.slice(id, toCents(50_000)));
        steps.forEach((s, i) => {
          if (s.kind === 'fill') l.applyFill(s.strategy, fill(s.side, s.quantity, s.price, 0.5, s.symbol));
          else l.mark(s.symbol, s.price);
          if (i % askEvery !== 0) return;
          const fresh = new Ledger(100_000);
          fresh.restore(JSON.parse(JSON.stringify(l.toState())));
          for (const ledger of [l, fresh]) {
            expect(ledger.equity()).toBe(fresh.snapshot(0).equity);
            expect(ledger.isExposed()).toBe(fresh.snapshot(0).positions.length > 0);
            for (const id of ['a', 'b', 'c']) {
              expect(ledger.isExposed(id)).toBe(fresh.positionsOf(id).length > 0);
              expect(ledger.strategyEquity({ strategyId: id, allocation: toCents(50_000) })).toBe(fresh.strategyEquity({ strategyId: id, allocation: toCents(50_000) }));
            }
          }
          restoredInPlace.restore(JSON.parse(JSON.stringify(l.toState())));
          for (const [k, id] of ['a', 'b', 'c'].entries()) {
            for (const slice of [slices[k]!, restoredSlices[k]!]) {
              expect(slice.equity()).toBe(fresh.strategyEquity({ strategyId: id, allocation: toCents(50_000) }));
              expect(slice.isExposed()).toBe(fresh.positionsOf(id).length > 0);
            }
          }
        });
      }),
      { numRuns: 300 },
    );
  });
});
