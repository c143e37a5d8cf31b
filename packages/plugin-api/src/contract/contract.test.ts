import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Bar } from '../domain/bar.js';
import type { Signal } from '../domain/signal.js';
import { checkBar } from './check-bar.js';
import { checkSignal } from './check-signal.js';
import { rejectBadBar } from './reject-bad-bar.js';

const price = fc.double({ min: 1e-6, max: 1e7, noNaN: true, noDefaultInfinity: true });

const soundBar = fc.tuple(price, price, fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.nat()).map(
  ([a, b, u, v, volume]): Bar => {
    const low = Math.min(a, b);
    const high = Math.max(a, b);
    // low + u·(high − low) can round past high by an ulp: clamp, as the property is about the range, not rounding.
    const within = (x: number) => Math.min(high, Math.max(low, x));
    return { symbol: 'BTC/USDT', timeframe: '1h', time: 1_600_000_000_000, low, high, open: within(low + u * (high - low)), close: within(low + v * (high - low)), volume };
  },
);

describe('checkBar', () => {
  it('accepts every bar whose open and close lie within its range', () => {
    fc.assert(fc.property(soundBar, (bar) => checkBar(bar) === undefined));
  });

  it('rejects a bar when any price is NaN, infinite, zero or negative', () => {
    const bad = fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, 0, -1);
    const field = fc.constantFrom('open', 'high', 'low', 'close' as const);
    fc.assert(
      fc.property(soundBar, field, bad, (bar, key, value) => {
        const message = checkBar({ ...bar, [key]: value });
        return message !== undefined && message.startsWith(key);
      }),
    );
  });

  it('accepts exactly the bars the contract allows, whatever each field holds', () => {
    // Checked against the contract written out here, field by field: the quick acceptance of sound bars and the
    // described rejection are separate code, and a bar must never pass one and fail the other.
    const number = fc.oneof(price, fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0, -1, 0.5));
    const anything = fc.oneof(number, fc.constantFrom(undefined, null, '10', ''));
    const arbitraryBar = fc.record({
      symbol: fc.constantFrom('SPY', '', 7, undefined),
      timeframe: fc.constantFrom('1m', '1d', '7m', undefined),
      time: fc.oneof(fc.nat(), fc.constantFrom(1.5, Number.NaN)),
      open: anything,
      high: anything,
      low: anything,
      close: anything,
      volume: fc.oneof(fc.nat(), fc.constantFrom(-1, Number.NaN, Number.POSITIVE_INFINITY, '3')),
    });
    const positive = (x: unknown): x is number => typeof x === 'number' && x > 0 && x < Number.POSITIVE_INFINITY;
    const allowed = (b: Record<string, unknown>): boolean => {
      const { open, high, low, close, volume } = b;
      if (typeof b.symbol !== 'string' || b.symbol === '' || (b.timeframe !== '1m' && b.timeframe !== '1d') || !Number.isInteger(b.time)) return false;
      if (!positive(open) || !positive(high) || !positive(low) || !positive(close)) return false;
      return low <= high && low <= open && open <= high && low <= close && close <= high && typeof volume === 'number' && volume >= 0 && volume < Number.POSITIVE_INFINITY;
    };
    fc.assert(
      fc.property(arbitraryBar, (bar) => {
        const problem = checkBar(bar as unknown as Bar);
        return allowed(bar) ? problem === undefined : typeof problem === 'string' && problem.length > 0;
      }),
      { numRuns: 2_000 },
    );
  });

  it('names the inconsistency', () => {
    const bar: Bar = { symbol: 'SPY', timeframe: '1d', time: 0, open: 10, high: 9, low: 11, close: 10, volume: 5 };
    expect(checkBar(bar)).toBe('high 9 is below low 11');
    expect(checkBar({ ...bar, high: 12, open: 11.5, close: 13 })).toBe('close 13 lies outside [low 11, high 12]');
    expect(checkBar({ ...bar, high: 12, low: 9, volume: -1 })).toBe('volume must be a finite number >= 0, got -1');
    expect(checkBar({ ...bar, high: 12, low: 9, timeframe: '7m' as Bar['timeframe'] })).toBe('timeframe "7m" is not a known timeframe');
  });
});

describe('checkSignal', () => {
  const base: Signal = { symbol: 'SPY', side: 'buy', strength: 0.6, price: 100, stopLoss: 95, takeProfit: 110 };

  it('accepts well-formed signals', () => {
    expect(checkSignal(base)).toBeUndefined();
    expect(checkSignal({ symbol: 'SPY', side: 'exit', strength: 1 })).toBeUndefined();
    expect(checkSignal({ ...base, side: 'sell', stopLoss: 105, takeProfit: 90 })).toBeUndefined();
  });

  it('rejects strength outside [0, 1], including NaN', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double({ min: 1.000001, max: 1e9 }), fc.double({ max: -1e-9, min: -1e9 }), fc.constant(Number.NaN)), (strength) =>
        checkSignal({ ...base, strength })?.startsWith('strength must be within [0, 1]') === true,
      ),
    );
  });

  it('rejects protective prices on the wrong side and bad sides', () => {
    expect(checkSignal({ ...base, stopLoss: 101 })).toBe('stopLoss 101 is on the wrong side of price 100 for a buy');
    expect(checkSignal({ ...base, side: 'sell', stopLoss: 105 })).toBe('takeProfit 110 is on the wrong side of price 100 for a sell');
    expect(checkSignal({ ...base, price: Number.NaN })).toBe('price must be a positive finite price, got NaN');
    expect(checkSignal({ ...base, side: 'hold' as Signal['side'] })).toBe('side must be "buy", "sell" or "exit", got "hold"');
    expect(checkSignal({ ...base, sizeHint: 0 })).toBe('sizeHint must be within (0, 1], got 0');
  });

  it('takes a limit entry with how many bars it may wait, and judges its protective prices against the limit', () => {
    expect(checkSignal({ ...base, limitPrice: 98, validForBars: 3 })).toBeUndefined();
    expect(checkSignal({ ...base, limitPrice: 94 })).toBe('stopLoss 95 is on the wrong side of limitPrice 94 for a buy');
    expect(checkSignal({ ...base, limitPrice: -1 })).toBe('limitPrice must be a positive finite price, got -1');
    expect(checkSignal({ ...base, limitPrice: 98, validForBars: 0 })).toBe('validForBars must be a whole number of at least 1, got 0');
    expect(checkSignal({ ...base, limitPrice: 98, validForBars: 1.5 })).toBe('validForBars must be a whole number of at least 1, got 1.5');
    expect(checkSignal({ symbol: 'SPY', side: 'exit', strength: 1, limitPrice: 101 })).toBe('limitPrice is for entries (buy or sell); an exit is a market order');
  });
});

describe('rejectBadBar', () => {
  const sound: Bar = { symbol: 'SPY', timeframe: '1d', time: 10, open: 100, high: 101, low: 99, close: 100, volume: 1 };
  const logger = () => {
    const warnings: string[] = [];
    return { warnings, log: { debug() {}, info() {}, error() {}, warn: (m: string) => void warnings.push(m) } };
  };

  it('passes a sound bar silently', () => {
    const { warnings, log } = logger();
    expect(rejectBadBar(sound, log, 9)).toBe(false);
    expect(warnings).toEqual([]);
  });

  it('logs why it turns a bar away: the contract first, then the order in time', () => {
    const { warnings, log } = logger();
    expect(rejectBadBar({ ...sound, close: Number.NaN }, log)).toBe(true);
    expect(rejectBadBar(sound, log, 10)).toBe(true);
    expect(warnings).toEqual(['bar rejected: close must be a positive finite price, got NaN', "bar rejected: time 10 is not after the previous bar's 10"]);
  });
});

describe('checkSignal: targets, deltas and protective exits', () => {
  const buy: Signal = { symbol: 'SPY', side: 'buy', strength: 1 };
  it('accepts a target or a delta in each of their units', () => {
    for (const unit of ['units', 'equity', 'allocation', 'entries'] as const) expect(checkSignal({ ...buy, target: { size: 2, unit } })).toBeUndefined();
    for (const unit of ['units', 'position', 'entries'] as const) expect(checkSignal({ ...buy, delta: { size: 0.5, unit } })).toBeUndefined();
    expect(checkSignal({ ...buy, side: 'sell', target: { size: 0, unit: 'units' } })).toBeUndefined();
    expect(checkSignal({ ...buy, side: 'exit', delta: { size: 0.05, unit: 'position' } })).toBeUndefined();
  });
  it('names what is wrong with a target or a delta', () => {
    expect(checkSignal({ ...buy, target: { size: 1, unit: 'units' }, delta: { size: 1, unit: 'units' } })).toBe('a signal has a target or a delta, not both');
    expect(checkSignal({ ...buy, side: 'exit', target: { size: 0, unit: 'units' } })).toMatch(/^an exit takes no target/);
    expect(checkSignal({ ...buy, target: { size: -1, unit: 'units' } })).toBe('target.size must be a finite number of at least 0, got -1');
    expect(checkSignal({ ...buy, target: { size: 1, unit: 'shares' as 'units' } })).toBe('target.unit must be one of "units", "equity", "allocation", "entries", got "shares"');
    expect(checkSignal({ ...buy, delta: { size: 0, unit: 'units' } })).toBe('delta.size must be a finite number above 0, got 0');
    expect(checkSignal({ ...buy, delta: { size: Number.NaN, unit: 'position' } })).toBe('delta.size must be a finite number above 0, got NaN');
    expect(checkSignal({ ...buy, side: 'exit', delta: { size: 1.5, unit: 'position' } })).toMatch(/^an exit reduces at most the whole position/);
  });
  it('takes trailing stops and time exits on entries only', () => {
    expect(checkSignal({ ...buy, trailingStop: { distance: 2, unit: 'atr' }, exitAfterBars: 5 })).toBeUndefined();
    expect(checkSignal({ ...buy, trailingStop: { distance: 0, unit: 'price' } })).toBe('trailingStop.distance must be a finite number above 0, got 0');
    expect(checkSignal({ ...buy, trailingStop: { distance: 100, unit: 'percent' } })).toBe('trailingStop.distance in percent must be below 100, got 100');
    expect(checkSignal({ ...buy, exitAfterBars: 0 })).toBe('exitAfterBars must be a whole number of at least 1, got 0');
    expect(checkSignal({ ...buy, side: 'exit', exitAfterBars: 3 })).toBe('exitAfterBars closes what an entry opens; an exit takes none');
    expect(checkSignal({ ...buy, side: 'exit', trailingStop: { distance: 1, unit: 'price' } })).toBe('trailingStop protects what an entry opens; an exit takes none');
  });
  it('still ignores the stop-loss and take-profit of an exit, as plugins built against 1.0 may send them', () => {
    expect(checkSignal({ symbol: 'SPY', side: 'exit', strength: 1, stopLoss: 90, takeProfit: 110 })).toBeUndefined();
  });
});
