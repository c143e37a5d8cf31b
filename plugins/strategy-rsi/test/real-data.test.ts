import type { Bar, Signal } from '@trading-orchestrator/plugin-api';
import { createTestContext, loadOhlcvCsv, runStrategy } from '@trading-orchestrator/plugin-testkit';
import { describe, expect, it } from 'vitest';
import { rsiConfig, rsiMeanReversion } from '../src/index.js';
import { testDataFile } from '@trading-orchestrator/testdata';

const day = (t: number) => new Date(t).toISOString().slice(0, 10);

/** Wilder's RSI written out plainly: averages seeded with simple means of the first `n` changes. */
function wilderRsi(closes: readonly number[], n: number): number[] {
  const out = closes.map(() => Number.NaN);
  let gain = 0;
  let loss = 0;
  for (let i = 1; i < closes.length; i++) {
    const d = closes[i]! - closes[i - 1]!;
    const g = Math.max(d, 0);
    const l = Math.max(-d, 0);
    if (i <= n) {
      gain += g;
      loss += l;
      if (i < n) continue;
      gain /= n;
      loss /= n;
    } else {
      gain = (gain * (n - 1) + g) / n;
      loss = (loss * (n - 1) + l) / n;
    }
    out[i] = gain + loss === 0 ? 50 : 100 - 100 / (1 + gain / loss);
  }
  return out;
}

/** The entry/exit rules replayed on the plain RSI series. */
function expectedSignals(bars: readonly Bar[], n: number, oversold: number, overbought: number, exit: number, longShort: boolean): string[] {
  const rsi = wilderRsi(bars.map((b) => b.close), n);
  let holding: 'flat' | 'long' | 'short' = 'flat';
  const out: string[] = [];
  rsi.forEach((r, i) => {
    if (Number.isNaN(r)) return;
    const t = bars[i]!.time;
    if (holding === 'long' && longShort && r > overbought) (holding = 'short'), out.push(`${t} sell`);
    else if (holding === 'short' && longShort && r < oversold) (holding = 'long'), out.push(`${t} buy`);
    else if (holding === 'long' && r >= exit) (holding = 'flat'), out.push(`${t} exit`);
    else if (holding === 'short' && r <= exit) (holding = 'flat'), out.push(`${t} exit`);
    else if (holding === 'flat' && r < oversold) (holding = 'long'), out.push(`${t} buy`);
    else if (holding === 'flat' && longShort && r > overbought) (holding = 'short'), out.push(`${t} sell`);
  });
  return out;
}

async function run(bars: readonly Bar[], config: object): Promise<Signal[]> {
  const strategy = await rsiMeanReversion.init(createTestContext(rsiConfig.parse(config)));
  return (await runStrategy(strategy, bars)).flatMap((s) => s.signals);
}

describe('RSI mean reversion on real data', () => {
  const spy = loadOhlcvCsv(testDataFile('ohlcv/equities/SPY_D.csv'), { symbol: 'SPY', timeframe: '1d' }).bars;
  const btc = loadOhlcvCsv(testDataFile('ohlcv/crypto/Coinbase_BTCUSD_1h.csv'), { symbol: 'BTC/USD', timeframe: '1h' }).bars;

  it('SPY daily, RSI 14 30/70 exit 50: entries and exits on the independently computed bars', async () => {
    const signals = await run(spy, {});
    expect(signals.map((s) => `${s.time} ${s.side}`)).toEqual(expectedSignals(spy, 14, 30, 70, 50, false));
    expect(signals.slice(0, 4).map((s) => `${day(s.time!)} ${s.side} ${s.metadata?.rsi?.toString().slice(0, 5)}`)).toMatchInlineSnapshot(`
      [
        "2000-10-11 buy 28.96",
        "2000-10-30 exit 50.49",
        "2001-03-12 buy 28.14",
        "2001-04-12 exit 52.81",
      ]
    `);
    expect(signals.length).toMatchInlineSnapshot(`58`);
  });

  it('BTC hourly, RSI 9 25/75 exit 50 long-short: the same', async () => {
    const config = { period: 9, oversold: 25, overbought: 75, mode: 'long-short' };
    const signals = await run(btc, config);
    expect(signals.map((s) => `${s.time} ${s.side}`)).toEqual(expectedSignals(btc, 9, 25, 75, 50, true));
    expect(signals.filter((s) => s.side === 'sell').length).toBeGreaterThan(0);
    expect(signals.length).toMatchInlineSnapshot(`764`);
    // An entry straight after an entry of the other side is a reversal: one order, targeting one entry on its side.
    const reversals = signals.filter((x, i) => i > 0 && x.side !== 'exit' && signals[i - 1]!.side !== 'exit' && signals[i - 1]!.side !== x.side);
    expect(reversals.length).toBeGreaterThan(0);
    expect(signals.filter((x) => x.side !== 'exit').every((x) => x.target?.size === 1 && x.target.unit === 'entries')).toBe(true);
  });

  it('the exit on normalisation really fires: every entry but perhaps the last is followed by an exit', async () => {
    const signals = await run(spy, {});
    const exits = signals.filter((s) => s.side === 'exit');
    const entries = signals.filter((s) => s.side !== 'exit');
    expect(exits.length).toBeGreaterThan(10);
    expect(entries.length - exits.length).toBeLessThanOrEqual(1);
    for (const e of exits) expect(e.metadata?.rsi as number).toBeGreaterThanOrEqual(50);
  });

  it('entries carry stop-loss and take-profit at the configured distances, and the RSI that caused them', async () => {
    const [first] = await run(spy, { stopLossPct: 0.03, takeProfitPct: 0.06 });
    expect(first?.side).toBe('buy');
    expect(first!.stopLoss).toBeCloseTo(first!.price! * 0.97, 10);
    expect(first!.takeProfit).toBeCloseTo(first!.price! * 1.06, 10);
    expect(first!.metadata?.rsi as number).toBeLessThan(30);
    expect(first!.reason).toMatch(/^RSI14 \d+\.\d\d below oversold 30/);
  });

  it('divergence is the sign disagreement of least-squares slopes of price and RSI over the look-back', async () => {
    const lookback = 10;
    const signals = await run(btc, { period: 9, oversold: 25, overbought: 75, mode: 'long-short', divergenceLookback: lookback });
    const closes = btc.map((b) => b.close);
    const rsi = wilderRsi(closes, 9);
    const slope = (ys: readonly number[]) => {
      const mx = (ys.length - 1) / 2;
      const my = ys.reduce((s, y) => s + y, 0) / ys.length;
      return ys.reduce((s, y, x) => s + (x - mx) * (y - my), 0) / ys.reduce((s, _, x) => s + (x - mx) ** 2, 0);
    };
    const index = new Map(btc.map((b, i) => [b.time, i]));
    let checked = 0;
    for (const s of signals.filter((x) => x.side !== 'exit')) {
      const i = index.get(s.time!)!;
      const rsiWindow = rsi.slice(i - lookback + 1, i + 1);
      if (rsiWindow.some(Number.isNaN)) continue;
      const p = slope(closes.slice(i - lookback + 1, i + 1));
      const r = slope(rsiWindow);
      const expected = p < 0 && r > 0 ? 'bullish' : p > 0 && r < 0 ? 'bearish' : 'none';
      expect(s.metadata?.divergence, `${day(s.time!)}`).toBe(expected);
      checked++;
    }
    expect(checked).toBeGreaterThan(50);
    expect(signals.some((s) => s.metadata?.divergence === 'bullish' && s.side === 'buy')).toBe(true);
  });

  it('a fill that flattens the position (a stop-loss hit) lets it enter again', async () => {
    const strategy = await rsiMeanReversion.init(createTestContext(rsiConfig.parse({})));
    const falling = Array.from({ length: 40 }, (_, i): Bar => ({ symbol: 'X', timeframe: '1d', time: i, open: 100 - i, high: 101 - i, low: 99 - i, close: 100 - i, volume: 1 }));
    const out = (await runStrategy(strategy, falling.slice(0, 20))).flatMap((s) => s.signals);
    expect(out.map((s) => s.side)).toEqual(['buy']);
    expect((await runStrategy(strategy, falling.slice(20, 25))).length).toBe(0);
    await strategy.onFill!({ orderId: 'sl', symbol: 'X', side: 'sell', quantity: 1, price: 75, fee: 0, time: 25 }, undefined);
    const again = await runStrategy(strategy, falling.slice(25, 27));
    expect(again.flatMap((s) => s.signals).map((s) => s.side)).toEqual(['buy']);
  });
});
