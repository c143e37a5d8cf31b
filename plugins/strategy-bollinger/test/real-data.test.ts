import type { Bar, Signal } from '@trading-orchestrator/plugin-api';
import { createTestContext, loadOhlcvCsv, runStrategy } from '@trading-orchestrator/plugin-testkit';
import { describe, expect, it } from 'vitest';
import { bollingerConfig, bollingerReversion } from '../src/index.js';
import { testDataFile } from '@trading-orchestrator/testdata';

const day = (t: number) => new Date(t).toISOString().slice(0, 10);

/** Bands from the textbook formula, window by window, and the entry/exit rules replayed on them. */
function expectedSignals(bars: readonly Bar[], n: number, k: number, stopSigma: number, longShort: boolean): string[] {
  const closes = bars.map((b) => b.close);
  let holding: 'flat' | 'long' | 'short' = 'flat';
  let tp = Number.NaN;
  let sl = Number.NaN;
  const out: string[] = [];
  for (let i = n - 1; i < closes.length; i++) {
    const w = closes.slice(i - n + 1, i + 1);
    const mean = w.reduce((s, x) => s + x, 0) / n;
    const sd = Math.sqrt(w.reduce((s, x) => s + (x - mean) ** 2, 0) / n);
    const [upper, lower, c, t] = [mean + k * sd, mean - k * sd, closes[i]!, bars[i]!.time];
    if (holding === 'long' && (c >= tp || c <= sl)) holding = 'flat';
    if (holding === 'short' && (c <= tp || c >= sl)) holding = 'flat';
    if (sd === 0) continue;
    if (c < lower && (holding === 'flat' || (longShort && holding === 'short'))) {
      [holding, tp, sl] = ['long', mean, Math.min(lower, c) - stopSigma * sd];
      out.push(`${t} buy`);
    } else if (c > upper && holding === 'long' && !longShort) {
      holding = 'flat';
      out.push(`${t} exit`);
    } else if (c > upper && holding !== 'short' && longShort) {
      [holding, tp, sl] = ['short', mean, Math.max(upper, c) + stopSigma * sd];
      out.push(`${t} sell`);
    }
  }
  return out;
}

async function run(bars: readonly Bar[], config: object): Promise<Signal[]> {
  const strategy = await bollingerReversion.init(createTestContext(bollingerConfig.parse(config)));
  return (await runStrategy(strategy, bars)).flatMap((s) => s.signals);
}

describe('Bollinger mean reversion on real data', () => {
  const spy = loadOhlcvCsv(testDataFile('ohlcv/equities/SPY_D.csv'), { symbol: 'SPY', timeframe: '1d' }).bars;
  const btc = loadOhlcvCsv(testDataFile('ohlcv/crypto/Coinbase_BTCUSD_1h.csv'), { symbol: 'BTC/USD', timeframe: '1h' }).bars;

  it('SPY daily, BB 20/2 long-only: signals on the independently computed bars', async () => {
    const signals = await run(spy, {});
    expect(signals.map((s) => `${s.time} ${s.side}`)).toEqual(expectedSignals(spy, 20, 2, 1, false));
    expect(signals.slice(0, 4).map((s) => `${day(s.time!)} ${s.side}`)).toMatchInlineSnapshot(`
      [
        "2000-01-06 buy",
        "2000-01-28 buy",
        "2000-02-18 buy",
        "2000-04-13 buy",
      ]
    `);
    expect(signals.length).toMatchInlineSnapshot(`182`);
  });

  it('BTC hourly, BB 20/2.5 long-short: the same', async () => {
    const signals = await run(btc, { k: 2.5, mode: 'long-short' });
    expect(signals.map((s) => `${s.time} ${s.side}`)).toEqual(expectedSignals(btc, 20, 2.5, 1, true));
    expect(signals.length).toMatchInlineSnapshot(`749`);
    // An entry straight after an entry of the other side is a reversal: one order, targeting one entry on its side.
    const reversals = signals.filter((x, i) => i > 0 && x.side !== 'exit' && signals[i - 1]!.side !== 'exit' && signals[i - 1]!.side !== x.side);
    expect(reversals.length).toBeGreaterThan(0);
    expect(signals.filter((x) => x.side !== 'exit').every((x) => x.target?.size === 1 && x.target.unit === 'entries')).toBe(true);
  });

  it('entries take profit at the middle band, stop beyond the band, and hint a quarter-Kelly size', async () => {
    const signals = await run(spy, {});
    const buys = signals.filter((s) => s.side === 'buy');
    expect(buys.length).toBeGreaterThan(20);
    for (const b of buys) {
      const m = b.metadata as { upper: number; middle: number; lower: number; deviation: number };
      expect(b.takeProfit).toBe(m.middle);
      expect(b.stopLoss).toBeCloseTo(Math.min(m.lower, b.price!) - m.deviation, 9);
      expect(b.price!).toBeLessThan(m.lower);
      expect(b.strength).toBeCloseTo(Math.min(1, 0.5 + (0.5 * (m.lower - b.price!)) / m.deviation), 12);
      expect(b.sizeHint).toBeCloseTo(b.strength * 0.25, 12);
    }
  });
});
