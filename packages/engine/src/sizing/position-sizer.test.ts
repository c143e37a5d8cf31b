import { generateBars } from '@trading-orchestrator/market-data';
import { Atr } from '@trading-orchestrator/indicators';
import type { Bar, Signal } from '@trading-orchestrator/plugin-api';
import { describe, expect, it } from 'vitest';
import { PositionSizer } from './position-sizer.js';

const rule = { method: 'volatility-target', riskFraction: 0.01, atrPeriod: 14, atrMultiple: 2, maxPositionFraction: 10 } as const;
const atrOf = (bars: readonly Bar[]) => bars.reduce((atr, b) => (atr.update(b.high, b.low, b.close), atr), new Atr(14)).value;

describe('PositionSizer (volatility target)', () => {
  const hourly = [...generateBars({ symbol: 'A', timeframe: '1h', count: 40, seed: 1, volatility: 0.3 })];
  const daily = [...generateBars({ symbol: 'A', timeframe: '1d', count: 40, seed: 2, volatility: 0.9 })];
  const buy: Signal = { symbol: 'A', side: 'buy', strength: 1 };

  it('sizes a signal by the ATR of the series it came from, when a strategy sees two timeframes of a symbol', () => {
    const sizer = new PositionSizer(rule);
    for (let i = 0; i < 40; i++) {
      sizer.onBar(hourly[i]!);
      sizer.onBar(daily[i]!);
    }
    expect(sizer.size(buy, 100, 100_000, '1h').quantity).toBe((100_000 * 0.01) / (2 * atrOf(hourly)));
    expect(sizer.size({ ...buy, timeframe: '1d' }, 100, 100_000).quantity).toBe((100_000 * 0.01) / (2 * atrOf(daily)));
  });

  it('takes the one series of a symbol for a signal that names no timeframe, and says so when there is no ATR yet', () => {
    const sizer = new PositionSizer(rule);
    for (const b of hourly) sizer.onBar(b);
    expect(sizer.size(buy, 100, 100_000).quantity).toBeGreaterThan(0);
    expect(sizer.size({ ...buy, symbol: 'B' }, 100, 100_000)).toEqual({ quantity: 0, reason: 'ATR(14) of B is not defined yet' });
  });
});
