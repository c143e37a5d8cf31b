// ns per streaming update for each indicator: ours, a plain loop over a Float64Array doing the same arithmetic,
// trading-signals and technicalindicators, on one million prices, in one run. Prints figures; asserts nothing.
// Run: pnpm --filter @trading-orchestrator/indicators bench
import * as ti from 'technicalindicators';
import * as ts from 'trading-signals';
import { Atr, BollingerBands, Ema, LinRegSlope, Macd, RollingMax, RollingMin, RollingStdDev, Rsi, Sma, Wma } from '../dist/index.js';

const N = 1_000_000;
const ROUNDS = 5;
const LIBRARY_N = 200_000; // the libraries are slow enough that a smaller sample gives the same ns/update

// A deterministic random walk around 30,000 (BTC-like levels), with highs and lows.
const close = new Float64Array(N);
const high = new Float64Array(N);
const low = new Float64Array(N);
let seed = 12345;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
let p = 30_000;
for (let i = 0; i < N; i++) {
  p *= Math.exp((rand() - 0.5) * 0.01);
  close[i] = p;
  high[i] = p * (1 + rand() * 0.003);
  low[i] = p * (1 - rand() * 0.003);
}
let sink = 0;

function time(n, body) {
  const samples = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = process.hrtime.bigint();
    sink += body(n) || 0;
    samples.push(Number(process.hrtime.bigint() - t0) / n);
  }
  return samples.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)];
}

// Plain loops: the same arithmetic written inline over typed arrays, the floor a library cannot beat.
const plain = {
  sma: (n, period = 20) => { const w = new Float64Array(period); let s = 0, out = 0; for (let i = 0; i < n; i++) { const j = i % period; s += close[i] - w[j]; w[j] = close[i]; if (i >= period - 1) out = s / period; } return out; },
  ema: (n, period = 20) => { const a = 2 / (period + 1); let e = 0; for (let i = 0; i < n; i++) e = i < period ? e + close[i] / period : e + a * (close[i] - e); return e; },
  wma: (n, period = 20) => { const w = new Float64Array(period); let s = 0, ws = 0, out = 0; const d = (period * (period + 1)) / 2; for (let i = 0; i < n; i++) { const j = i % period; const x = close[i]; if (i >= period) { ws += period * x - s; s += x - w[j]; } else { s += x; ws += (i + 1) * x; } w[j] = x; if (i >= period - 1) out = ws / d; } return out; },
  rsi: (n, period = 14) => { let g = 0, l = 0, out = 0; for (let i = 1; i < n; i++) { const d = close[i] - close[i - 1]; const gi = d > 0 ? d : 0, li = d < 0 ? -d : 0; if (i <= period) { g += gi / period; l += li / period; } else { g = (g * (period - 1) + gi) / period; l = (l * (period - 1) + li) / period; } out = (100 * g) / (g + l); } return out; },
  stddev: (n, period = 20) => { const w = new Float64Array(period); let m = 0, m2 = 0, out = 0; for (let i = 0; i < n; i++) { const j = i % period; const x = close[i]; if (i >= period) { const o = w[j]; const om = m; m += (x - o) / period; m2 += (x - o) * (x - m + o - om); } else { const d = x - m; m += d / (i + 1); m2 += d * (x - m); } w[j] = x; if (i >= period - 1) out = Math.sqrt(m2 / period); } return out; },
  bollinger: (n, period = 20) => { const w = new Float64Array(period); let m = 0, m2 = 0, up = 0; for (let i = 0; i < n; i++) { const j = i % period; const x = close[i]; if (i >= period) { const o = w[j]; const om = m; m += (x - o) / period; m2 += (x - o) * (x - m + o - om); } else { const d = x - m; m += d / (i + 1); m2 += d * (x - m); } w[j] = x; if (i >= period - 1) up = m + 2 * Math.sqrt(m2 / period); } return up; },
  macd: (n) => { const af = 2 / 13, as = 2 / 27, ag = 2 / 10; let f = 0, s = 0, g = 0, h = 0; for (let i = 0; i < n; i++) { f = i < 26 ? close[i] : f + af * (close[i] - f); s = i < 26 ? close[i] : s + as * (close[i] - s); const m = f - s; g = i < 34 ? m : g + ag * (m - g); h = m - g; } return h; },
  atr: (n, period = 14) => { let a = 0; for (let i = 1; i < n; i++) { const pc = close[i - 1]; const tr = Math.max(high[i] - low[i], Math.abs(high[i] - pc), Math.abs(low[i] - pc)); a = i <= period ? a + tr / period : (a * (period - 1) + tr) / period; } return a; },
  max: (n, period = 20) => { const v = new Float64Array(period), ix = new Float64Array(period); let head = 0, len = 0, out = 0; for (let i = 0; i < n; i++) { if (len > 0 && ix[head] <= i - period) { head = (head + 1) % period; len--; } while (len > 0 && v[(head + len - 1) % period] <= close[i]) len--; const k = (head + len) % period; v[k] = close[i]; ix[k] = i; len++; out = v[head]; } return out; },
  slope: (n, period = 20) => { const w = new Float64Array(period); let sy = 0, sxy = 0, out = 0; const sx = (period * (period - 1)) / 2, den = (period * (period - 1) * period * (2 * period - 1)) / 6 - sx * sx; for (let i = 0; i < n; i++) { const j = i % period, y = close[i]; if (i >= period) { sxy += (period - 1) * y - (sy - w[j]); sy += y - w[j]; } else { sxy += i * y; sy += y; } w[j] = y; if (i >= period - 1) out = (period * sxy - sx * sy) / den; } return out; },
};

// One loop per indicator, so each call site sees one class, as it does inside a strategy.
const ours = {
  sma: (n) => { const x = new Sma(20); let out = 0; for (let i = 0; i < n; i++) out = x.update(close[i]); return out; },
  ema: (n) => { const x = new Ema(20); let out = 0; for (let i = 0; i < n; i++) out = x.update(close[i]); return out; },
  wma: (n) => { const x = new Wma(20); let out = 0; for (let i = 0; i < n; i++) out = x.update(close[i]); return out; },
  rsi: (n) => { const x = new Rsi(14); let out = 0; for (let i = 0; i < n; i++) out = x.update(close[i]); return out; },
  stddev: (n) => { const x = new RollingStdDev(20); let out = 0; for (let i = 0; i < n; i++) out = x.update(close[i]); return out; },
  bollinger: (n) => { const b = new BollingerBands(20, 2); for (let i = 0; i < n; i++) b.update(close[i]); return b.upper; },
  macd: (n) => { const m = new Macd(12, 26, 9); for (let i = 0; i < n; i++) m.update(close[i]); return m.histogram; },
  atr: (n) => { const a = new Atr(14); let out = 0; for (let i = 0; i < n; i++) out = a.update(high[i], low[i], close[i]); return out; },
  max: (n) => { const x = new RollingMax(20); let out = 0; for (let i = 0; i < n; i++) out = x.update(close[i]); return out; },
  min: (n) => { const x = new RollingMin(20); let out = 0; for (let i = 0; i < n; i++) out = x.update(close[i]); return out; },
  slope: (n) => { const x = new LinRegSlope(20); let out = 0; for (let i = 0; i < n; i++) out = x.update(close[i]); return out; },
};

const tsAdd = (make) => (n) => { const x = make(); let out; for (let i = 0; i < n; i++) out = x.add(close[i]); return typeof out === 'number' ? out : 0; };
const tradingSignals = {
  sma: tsAdd(() => new ts.SMA(20)),
  ema: tsAdd(() => new ts.EMA(20)),
  wma: tsAdd(() => new ts.WMA(20)),
  rsi: tsAdd(() => new ts.RSI(14)),
  bollinger: tsAdd(() => new ts.BollingerBands(20, 2)),
  macd: tsAdd(() => new ts.MACD(new ts.EMA(12), new ts.EMA(26), new ts.EMA(9))),
  atr: (n) => { const a = new ts.ATR(14); for (let i = 0; i < n; i++) a.add({ high: high[i], low: low[i], close: close[i] }); return 0; },
};

const tiNext = (make) => (n) => { const x = make(); let out; for (let i = 0; i < n; i++) out = x.nextValue(close[i]); return typeof out === 'number' ? out : 0; };
const technical = {
  sma: tiNext(() => new ti.SMA({ period: 20, values: [] })),
  ema: tiNext(() => new ti.EMA({ period: 20, values: [] })),
  wma: tiNext(() => new ti.WMA({ period: 20, values: [] })),
  rsi: tiNext(() => new ti.RSI({ period: 14, values: [] })),
  stddev: tiNext(() => new ti.SD({ period: 20, values: [] })),
  bollinger: tiNext(() => new ti.BollingerBands({ period: 20, stdDev: 2, values: [] })),
  macd: tiNext(() => new ti.MACD({ fastPeriod: 12, slowPeriod: 26, signalPeriod: 9, SimpleMAOscillator: false, SimpleMASignal: false, values: [] })),
  atr: (n) => { const a = new ti.ATR({ period: 14, high: [], low: [], close: [] }); for (let i = 0; i < n; i++) a.nextValue({ high: high[i], low: low[i], close: close[i] }); return 0; },
};

const fmt = (x) => (x === undefined ? '-'.padStart(8) : x.toFixed(1).padStart(8));
console.log(`ns per streaming update, median of ${ROUNDS} (ours and plain loop on ${N.toLocaleString('en')} prices, libraries on ${LIBRARY_N.toLocaleString('en')}; Node ${process.version})`);
console.log(`${'indicator'.padEnd(12)}${'ours'.padStart(8)}${'plain'.padStart(8)}${'ours/plain'.padStart(12)}${'trading-signals'.padStart(17)}${'technicalind.'.padStart(15)}`);
for (const name of Object.keys(ours)) {
  const o = time(N, ours[name]);
  const pl = plain[name] ?? (name === 'min' ? plain.max : undefined);
  const pt = pl === undefined ? undefined : time(N, pl);
  const t1 = tradingSignals[name] === undefined ? undefined : time(LIBRARY_N, tradingSignals[name]);
  const t2 = technical[name] === undefined ? undefined : time(LIBRARY_N, technical[name]);
  console.log(`${name.padEnd(12)}${fmt(o)}${fmt(pt)}${(pt === undefined ? '-' : `${(o / pt).toFixed(2)}x`).padStart(12)}${fmt(t1).padStart(17)}${fmt(t2).padStart(15)}`);
}
if (sink === 42) console.log('');
