import { describe, expect, it } from 'vitest';
import type { Tick } from '@trading-orchestrator/plugin-api';
import { tickProblem } from './tick-problem.js';

const NOW = Date.UTC(2026, 0, 1);
const tick = (over: Partial<Tick> = {}): Tick => ({ symbol: 'BTC/USDT', time: NOW - 1_000, price: 42_000.5, size: 0.01, ...over });
const symbols = new Set(['BTC/USDT']);

describe('the host checks each trade print', () => {
  it('takes a plain print, a zero-size one and one from a clock a little ahead', () => {
    expect(tickProblem(tick(), symbols, NOW)).toBeUndefined();
    expect(tickProblem(tick({ size: 0 }), symbols, NOW)).toBeUndefined();
    expect(tickProblem(tick({ time: NOW + 60_000 }), symbols, NOW)).toBeUndefined();
  });

  it('refuses a bad price, size or time, another symbol, and a print from a day ahead, saying which', () => {
    const cases: [Partial<Tick>, string][] = [
      [{ price: Number.NaN }, 'BAD_TICK'],
      [{ price: -1 }, 'BAD_TICK'],
      [{ size: Number.POSITIVE_INFINITY }, 'BAD_TICK'],
      [{ time: Number.NaN }, 'BAD_TICK'],
      [{ symbol: 'ETH/USDT' }, 'WRONG_SERIES'],
      [{ time: Date.UTC(2099, 0, 1) }, 'FROM_THE_FUTURE'],
    ];
    for (const [over, code] of cases) expect(tickProblem(tick(over), symbols, NOW)?.[0], JSON.stringify(over)).toBe(code);
    expect(tickProblem(null as unknown as Tick, symbols, NOW)?.[0]).toBe('BAD_TICK');
    expect(tickProblem(tick({ price: Number.NaN }), symbols, NOW)?.[1]).toBe('price must be a positive finite number, got NaN');
  });
});
