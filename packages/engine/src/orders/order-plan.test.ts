import type { Signal } from '@trading-orchestrator/plugin-api';
import { describe, expect, it } from 'vitest';
import { planOrder, type PositionFacts, type Sizes } from './order-plan.js';

const facts = (held: number, more: Partial<PositionFacts> = {}): PositionFacts => ({ held, working: 0, entries: held === 0 ? 0 : 1, pyramiding: 0, allowShort: true, ...more });
/** One ordinary entry is 10 units; a unit is worth 100; the account has 10,000 of equity and the strategy 5,000. */
const sizes: Sizes = { entry: () => 10, unitsWorth: (value) => value / 100, accountEquity: 10_000, strategyEquity: 5_000 };
const signal = (side: Signal['side'], more: Partial<Signal> = {}): Signal => ({ symbol: 'SPY', side, strength: 1, ...more });
const order = (side: Signal['side'], f: PositionFacts, more: Partial<Signal> = {}) => planOrder(signal(side, more), f, sizes);

describe('planOrder', () => {
  it('a plain buy opens a long when flat, and a plain sell opens a short only when shorting is allowed', () => {
    expect(order('buy', facts(0)).order).toEqual({ side: 'buy', quantity: 10, reduceOnly: false, opens: 10, entry: true });
    expect(order('sell', facts(0)).order).toEqual({ side: 'sell', quantity: 10, reduceOnly: false, opens: 10, entry: true });
    expect(order('sell', facts(0, { allowShort: false })).ignored?.code).toBe('SHORTING_NOT_ALLOWED');
  });

  it('a plain opposite signal closes the position (as plugins built against 1.0 expect)', () => {
    expect(order('sell', facts(25)).order).toEqual({ side: 'sell', quantity: 25, reduceOnly: true, opens: 0, entry: false });
    expect(order('buy', facts(-7)).order).toEqual({ side: 'buy', quantity: 7, reduceOnly: true, opens: 0, entry: false });
  });

  it('a plain buy while long adds up to the pyramiding limit, then is ignored with the reason', () => {
    expect(order('buy', facts(10, { entries: 1, pyramiding: 2 })).order).toMatchObject({ side: 'buy', quantity: 10, opens: 10 });
    expect(order('buy', facts(20, { entries: 2, pyramiding: 2 })).order).toMatchObject({ quantity: 10 });
    const third = order('buy', facts(30, { entries: 3, pyramiding: 2 }));
    expect(third.order).toBeUndefined();
    expect(third.ignored?.code).toBe('PYRAMIDING_LIMIT');
    expect(third.ignored?.message()).toBe("the position is long 30 after 3 entries; pyramiding allows 2 adds (raise the strategy's pyramiding, or size the signal with a target or delta)");
    expect(order('buy', facts(0, { working: 10, entries: 1 })).ignored?.message()).toMatch(/^an entry is still working \(long 10\)/);
  });

  it('a target reverses a position in one order, and a target of 0 flattens', () => {
    const reverse = order('sell', facts(10), { target: { size: 1, unit: 'entries' } });
    expect(reverse.order).toEqual({ side: 'sell', quantity: 20, reduceOnly: false, opens: 10, entry: true });
    expect(order('buy', facts(-5), { target: { size: 0, unit: 'units' } }).order).toEqual({ side: 'buy', quantity: 5, reduceOnly: true, opens: 0, entry: false });
    expect(order('buy', facts(10), { target: { size: 4, unit: 'units' } }).order).toMatchObject({ side: 'sell', quantity: 6, reduceOnly: true });
    expect(order('buy', facts(10), { target: { size: 10, unit: 'units' } }).ignored?.code).toBe('ALREADY_AT_TARGET');
  });

  it('sizes a target as a share of the account’s or the strategy’s equity', () => {
    expect(order('buy', facts(0), { target: { size: 0.5, unit: 'equity' } }).order?.quantity).toBe(50);
    expect(order('buy', facts(20), { target: { size: 0.5, unit: 'allocation' } }).order).toMatchObject({ side: 'buy', quantity: 5 });
  });

  it('a target supersedes working orders: it cancels them and orders from what is held', () => {
    const p = order('buy', facts(0, { working: 10, entries: 1 }), { target: { size: 3, unit: 'units' } });
    expect(p.cancelWorking).toBe(true);
    expect(p.order).toMatchObject({ side: 'buy', quantity: 3 });
  });

  it('a reversal without shorting only closes, and says why', () => {
    const p = order('sell', facts(10, { allowShort: false }), { target: { size: 1, unit: 'entries' } });
    expect(p.order).toMatchObject({ side: 'sell', quantity: 10, reduceOnly: true });
    expect(p.ignored?.code).toBe('SHORTING_NOT_ALLOWED');
  });

  it('a delta changes the position by units, entries or a share of it', () => {
    expect(order('buy', facts(10), { delta: { size: 3, unit: 'units' } }).order).toMatchObject({ side: 'buy', quantity: 3, opens: 3 });
    expect(order('sell', facts(40), { delta: { size: 0.25, unit: 'position' } }).order).toMatchObject({ side: 'sell', quantity: 10, reduceOnly: true });
    expect(order('sell', facts(0), { delta: { size: 0.25, unit: 'position' } }).ignored?.code).toBe('NO_POSITION');
    expect(order('buy', facts(-10), { delta: { size: 2, unit: 'entries' } }).order).toMatchObject({ side: 'buy', quantity: 20, reduceOnly: false, opens: 10 });
  });

  it('an exit closes the position; with a delta it reduces it, never past flat', () => {
    expect(order('exit', facts(-12)).order).toMatchObject({ side: 'buy', quantity: 12, reduceOnly: true });
    expect(order('exit', facts(100), { delta: { size: 0.05, unit: 'position' } }).order).toMatchObject({ side: 'sell', quantity: 5, reduceOnly: true });
    expect(order('exit', facts(4), { delta: { size: 10, unit: 'units' } }).order).toMatchObject({ side: 'sell', quantity: 4, reduceOnly: true });
    expect(order('exit', facts(0)).ignored?.code).toBe('NOTHING_TO_EXIT');
    expect(order('exit', facts(0)).ignored?.message()).toBe('an exit with nothing held or working');
  });

  it('a plain opposite signal while only an entry is working cancels it, as it would close the position', () => {
    expect(order('sell', facts(0, { working: 10, entries: 1, allowShort: false }))).toEqual({ cancelWorking: true, order: undefined, ignored: undefined });
    expect(order('buy', facts(0, { working: -4, entries: 1 }))).toEqual({ cancelWorking: true, order: undefined, ignored: undefined });
  });

  it('an exit while only an entry is working cancels it', () => {
    const p = order('exit', facts(0, { working: 10, entries: 1 }));
    expect(p).toEqual({ cancelWorking: true, order: undefined, ignored: undefined });
  });

  it('passes on why the sizing rule made no entry', () => {
    const unsized: Sizes = { ...sizes, entry: () => ({ code: 'SIZED_TO_ZERO', message: () => 'ATR(14) of SPY is not defined yet' }) };
    const { ignored } = planOrder(signal('buy'), facts(0), unsized);
    expect([ignored?.code, ignored?.message()]).toEqual(['SIZED_TO_ZERO', 'ATR(14) of SPY is not defined yet']);
  });
});
