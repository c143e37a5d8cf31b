import { readFileSync } from 'node:fs';
import { loadOhlcvCsv } from '@trading-orchestrator/plugin-testkit';
import * as ti from 'technicalindicators';
import { describe, expect, it } from 'vitest';
import { batch } from '../src/index.js';
import { testDataFile } from '@trading-orchestrator/testdata';

function csv(relative: string): string[][] {
  return readFileSync(testDataFile(relative), 'utf8').trim().split(/\r?\n/).slice(1).map((l) => l.split(','));
}

/** Largest |ours − reference| over rows where the reference has a value; also checks both are NaN before it. */
function maxDiff(ours: Float64Array, reference: readonly string[]): number {
  let max = 0;
  reference.forEach((cell, i) => {
    if (cell === '') {
      expect(Number.isNaN(ours[i]!), `row ${i} is warm-up in the reference`).toBe(true);
      return;
    }
    max = Math.max(max, Math.abs(ours[i]! - Number(cell)));
  });
  return max;
}

describe('against TA-Lib outputs on BTCUSDT 15m (1,000 bars)', () => {
  const input = csv('indicators/talib-ref/BTCUSDT_15m.csv');
  const close = Float64Array.from(input.map((r) => Number(r[4])));
  const column = (file: string, index: number) => csv(`indicators/talib-ref/${file}`).map((r) => r[index] ?? '');

  it('SMA 9', () => expect(maxDiff(batch.sma(close, 9), column('BTCUSDT_15m_SMA9.csv', 1))).toBeLessThan(1e-6));
  it('EMA 21 (SMA seed)', () => expect(maxDiff(batch.ema(close, 21), column('BTCUSDT_15m_EMA21.csv', 1))).toBeLessThan(1e-6));
  it('RSI 9 (Wilder)', () => expect(maxDiff(batch.rsi(close, 9), column('BTCUSDT_15m_RSI9.csv', 1))).toBeLessThan(1e-6));
  it('Bollinger 5, 2σ (population)', () => {
    const b = batch.bollinger(close, 5, 2);
    expect(maxDiff(b.upper, column('BTCUSDT_15m_BBANDS5.csv', 1))).toBeLessThan(1e-6);
    expect(maxDiff(b.middle, column('BTCUSDT_15m_BBANDS5.csv', 2))).toBeLessThan(1e-6);
    expect(maxDiff(b.lower, column('BTCUSDT_15m_BBANDS5.csv', 3))).toBeLessThan(1e-6);
  });
  it('MACD 12/26/9, first value at index 33 like TA-Lib', () => {
    const m = batch.macd(close, 12, 26, 9);
    expect(maxDiff(m.macd, column('BTCUSDT_15m_MACD_12_26_9.csv', 1))).toBeLessThan(1e-6);
    expect(maxDiff(m.signal, column('BTCUSDT_15m_MACD_12_26_9.csv', 2))).toBeLessThan(1e-6);
    expect(maxDiff(m.histogram, column('BTCUSDT_15m_MACD_12_26_9.csv', 3))).toBeLessThan(1e-6);
    expect(m.macd.findIndex((v) => !Number.isNaN(v))).toBe(33);
  });
});

describe('against the StockCharts worked examples', () => {
  it('Bollinger 20, 2σ', () => {
    const rows = csv('indicators/stockcharts-ref/cs-bbands.csv');
    const b = batch.bollinger(Float64Array.from(rows.map((r) => Number(r[1]))), 20, 2);
    expect(maxDiff(b.middle, rows.map((r) => r[2] ?? ''))).toBeLessThan(1e-6);
    expect(maxDiff(b.upper, rows.map((r) => r[4] ?? ''))).toBeLessThan(1e-6);
    expect(maxDiff(b.lower, rows.map((r) => r[5] ?? ''))).toBeLessThan(1e-6);
  });

  it('WMA 9 (the sheet rounds to 4 decimals; its first 8 rows use data before the file)', () => {
    const rows = csv('indicators/stockcharts-ref/cs-wma.csv');
    const w = batch.wma(Float64Array.from(rows.map((r) => Number(r[4]))), 9);
    const reference = rows.map((r, i) => (i < 8 ? '' : r[6] ?? ''));
    expect(maxDiff(w, reference)).toBeLessThan(5e-5);
  });

  it('MACD line with first-value EMA seeds (the sheet’s convention)', () => {
    const rows = csv('indicators/stockcharts-ref/cs-macd.csv');
    const m = batch.macd(Float64Array.from(rows.map((r) => Number(r[1]))), 12, 26, 9, 'first');
    const fast = batch.ema(Float64Array.from(rows.map((r) => Number(r[1]))), 12, 'first');
    expect(maxDiff(fast, rows.map((r) => r[2] ?? ''))).toBeLessThan(1e-6);
    expect(maxDiff(m.macd.subarray(1), rows.slice(1).map((r) => r[4] ?? ''))).toBeLessThan(1e-6);
  });
});

describe('against technicalindicators on SPY daily closes (5,241 bars)', () => {
  const { bars } = loadOhlcvCsv(testDataFile('ohlcv/equities/SPY_D.csv'), { symbol: 'SPY', timeframe: '1d' });
  const close = Float64Array.from(bars.map((b) => b.close));
  const high = Float64Array.from(bars.map((b) => b.high));
  const low = Float64Array.from(bars.map((b) => b.low));
  const values = [...close];

  /** Their output starts at the first defined index; compare from `from` on (after seeds have washed out). */
  function compare(ours: Float64Array, theirs: readonly number[], from = 0): number {
    const offset = ours.length - theirs.length;
    let max = 0;
    for (let i = Math.max(from, offset); i < ours.length; i++) max = Math.max(max, Math.abs(ours[i]! - theirs[i - offset]!));
    return max;
  }

  it('SMA, WMA and EMA', () => {
    expect(compare(batch.sma(close, 50), ti.SMA.calculate({ period: 50, values }))).toBeLessThan(1e-6);
    expect(compare(batch.wma(close, 20), ti.WMA.calculate({ period: 20, values }))).toBeLessThan(1e-6);
    expect(compare(batch.ema(close, 20), ti.EMA.calculate({ period: 20, values }))).toBeLessThan(1e-6);
  });

  it('RSI 14 and Bollinger 20/2', () => {
    // technicalindicators rounds RSI to two decimals.
    expect(compare(batch.rsi(close, 14), ti.RSI.calculate({ period: 14, values }))).toBeLessThan(0.006);
    const theirs = ti.BollingerBands.calculate({ period: 20, stdDev: 2, values });
    const ours = batch.bollinger(close, 20, 2);
    expect(compare(ours.upper, theirs.map((b) => b.upper))).toBeLessThan(1e-6);
    expect(compare(ours.lower, theirs.map((b) => b.lower))).toBeLessThan(1e-6);
  });

  it('MACD 12/26/9 and ATR 14 once their different seeds have washed out', () => {
    const theirs = ti.MACD.calculate({ values, fastPeriod: 12, slowPeriod: 26, signalPeriod: 9, SimpleMAOscillator: false, SimpleMASignal: false });
    const ours = batch.macd(close, 12, 26, 9);
    expect(compare(ours.macd, theirs.map((m) => m.MACD ?? Number.NaN), 400)).toBeLessThan(1e-6);
    expect(compare(ours.signal, theirs.map((m) => m.signal ?? Number.NaN), 400)).toBeLessThan(1e-6);
    const atrTheirs = ti.ATR.calculate({ period: 14, high: [...high], low: [...low], close: values });
    expect(compare(batch.atr(high, low, close, 14), atrTheirs, 600)).toBeLessThan(1e-6);
  });

  it('rolling standard deviation (population)', () => {
    expect(compare(batch.stdDev(close, 20), ti.SD.calculate({ period: 20, values }))).toBeLessThan(1e-6);
  });
});
