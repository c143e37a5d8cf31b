import { Atr } from '../streaming/atr.js';
import { BollingerBands } from '../streaming/bollinger.js';
import { Ema, type EmaSeed } from '../streaming/ema.js';
import { LinRegSlope } from '../streaming/linreg-slope.js';
import { Macd } from '../streaming/macd.js';
import { RollingMax, RollingMin } from '../streaming/rolling-extremum.js';
import { Rsi } from '../streaming/rsi.js';
import { Sma } from '../streaming/sma.js';
import { RollingStdDev } from '../streaming/std-dev.js';
import type { SingleOutput } from '../streaming/streaming-indicator.js';
import { Wma } from '../streaming/wma.js';

// Batch forms run the streaming calculators, so both forms give identical numbers by construction.

function single(values: Float64Array, indicator: SingleOutput): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = indicator.update(values[i]!);
  return out;
}

export const sma = (values: Float64Array, period: number): Float64Array => single(values, new Sma(period));
export const ema = (values: Float64Array, period: number, seed: EmaSeed = 'sma'): Float64Array => single(values, new Ema(period, seed));
export const wma = (values: Float64Array, period: number): Float64Array => single(values, new Wma(period));
export const rsi = (values: Float64Array, period: number): Float64Array => single(values, new Rsi(period));
export const stdDev = (values: Float64Array, period: number, convention: 'population' | 'sample' = 'population'): Float64Array =>
  single(values, new RollingStdDev(period, convention));
export const rollingMin = (values: Float64Array, period: number): Float64Array => single(values, new RollingMin(period));
export const rollingMax = (values: Float64Array, period: number): Float64Array => single(values, new RollingMax(period));
export const linRegSlope = (values: Float64Array, period: number): Float64Array => single(values, new LinRegSlope(period));

export function bollinger(values: Float64Array, period: number, k = 2): { upper: Float64Array; middle: Float64Array; lower: Float64Array } {
  const bands = new BollingerBands(period, k);
  const upper = new Float64Array(values.length).fill(Number.NaN);
  const middle = new Float64Array(values.length).fill(Number.NaN);
  const lower = new Float64Array(values.length).fill(Number.NaN);
  for (let i = 0; i < values.length; i++) {
    if (!bands.update(values[i]!)) continue;
    upper[i] = bands.upper;
    middle[i] = bands.middle;
    lower[i] = bands.lower;
  }
  return { upper, middle, lower };
}

export function macd(
  values: Float64Array,
  fast = 12,
  slow = 26,
  signalPeriod = 9,
  seed: EmaSeed = 'sma',
): { macd: Float64Array; signal: Float64Array; histogram: Float64Array } {
  const m = new Macd(fast, slow, signalPeriod, seed);
  const line = new Float64Array(values.length).fill(Number.NaN);
  const signal = new Float64Array(values.length).fill(Number.NaN);
  const histogram = new Float64Array(values.length).fill(Number.NaN);
  for (let i = 0; i < values.length; i++) {
    if (!m.update(values[i]!)) continue;
    line[i] = m.macd;
    signal[i] = m.signal;
    histogram[i] = m.histogram;
  }
  return { macd: line, signal, histogram };
}

export function atr(high: Float64Array, low: Float64Array, close: Float64Array, period: number): Float64Array {
  if (high.length !== low.length || low.length !== close.length) throw new RangeError('high, low and close must have the same length');
  const a = new Atr(period);
  const out = new Float64Array(close.length);
  for (let i = 0; i < close.length; i++) out[i] = a.update(high[i]!, low[i]!, close[i]!);
  return out;
}
