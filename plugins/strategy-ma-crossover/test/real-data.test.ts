import { createTestContext, loadOhlcvCsv, runStrategy } from '@trading-orchestrator/plugin-testkit';
import type { Bar } from '@trading-orchestrator/plugin-api';
import { describe, expect, it } from 'vitest';
import { maCrossover, maCrossoverConfig } from '../src/index.js';
import { testDataFile } from '@trading-orchestrator/testdata';

const day = (t: number) => new Date(t).toISOString().slice(0, 10);
const hour = (t: number) => new Date(t).toISOString().slice(0, 13);

/** The crosses computed the plain way: full-window means (or a textbook EMA) recomputed at every bar. */
function independentCrosses(bars: readonly Bar[], fast: number, slow: number, average: 'sma' | 'ema'): { time: number; side: 'buy' | 'exit' }[] {
  const closes = bars.map((b) => b.close);
  const ma = (n: number): number[] => {
    if (average === 'sma') return closes.map((_, i) => (i < n - 1 ? Number.NaN : closes.slice(i - n + 1, i + 1).reduce((s, x) => s + x, 0) / n));
    const out: number[] = [];
    let e = Number.NaN;
    closes.forEach((c, i) => {
      if (i === n - 1) e = closes.slice(0, n).reduce((s, x) => s + x, 0) / n;
      else if (i >= n) e = e + (2 / (n + 1)) * (c - e);
      out.push(e);
    });
    return out;
  };
  const f = ma(fast);
  const s = ma(slow);
  const crosses: { time: number; side: 'buy' | 'exit' }[] = [];
  for (let i = slow; i < closes.length; i++) {
    const before = f[i - 1]! - s[i - 1]!;
    const now = f[i]! - s[i]!;
    if (before <= 0 && now > 0) crosses.push({ time: bars[i]!.time, side: 'buy' });
    else if (before >= 0 && now < 0) crosses.push({ time: bars[i]!.time, side: 'exit' });
  }
  return crosses;
}

async function run(bars: readonly Bar[], config: object) {
  const parsed = maCrossoverConfig.parse(config);
  const strategy = await maCrossover.init(createTestContext(parsed));
  return (await runStrategy(strategy, bars)).flatMap((s) => s.signals);
}

describe('MA crossover on real data', () => {
  const spy = loadOhlcvCsv(testDataFile('ohlcv/equities/SPY_D.csv'), { symbol: 'SPY', timeframe: '1d' }).bars;
  const btc = loadOhlcvCsv(testDataFile('ohlcv/crypto/Coinbase_BTCUSD_1h.csv'), { symbol: 'BTC/USD', timeframe: '1h' }).bars;

  it('SPY daily, SMA 50/200: fires exactly on the independently computed crosses', async () => {
    const signals = await run(spy, { fast: 50, slow: 200 });
    const expected = independentCrosses(spy, 50, 200, 'sma');
    expect(signals.map((s) => [s.time, s.side])).toEqual(expected.map((c) => [c.time, c.side]));
    // Pinned, so a change of behaviour shows even if the independent computation changed with it.
    expect(signals.slice(0, 4).map((s) => `${day(s.time!)} ${s.side}`)).toMatchInlineSnapshot(`
      [
        "2000-10-30 exit",
        "2003-05-15 buy",
        "2004-08-18 exit",
        "2004-11-05 buy",
      ]
    `);
    expect(signals.filter((s) => day(s.time!).startsWith('2007') || day(s.time!).startsWith('2008')).map((s) => `${day(s.time!)} ${s.side}`)).toMatchInlineSnapshot(`
      [
        "2007-12-21 exit",
      ]
    `);
    expect(signals.length).toMatchInlineSnapshot(`20`);
  });

  it('BTC hourly, EMA 12/26 long-short: fires exactly on the independently computed crosses, each targeting one entry on its side', async () => {
    const signals = await run(btc, { fast: 12, slow: 26, average: 'ema', mode: 'long-short' });
    const expected = independentCrosses(btc, 12, 26, 'ema');
    expect(signals.map((s) => [s.time, s.side === 'sell' ? 'exit' : s.side])).toEqual(expected.map((c) => [c.time, c.side]));
    expect(signals.every((s) => s.target?.size === 1 && s.target.unit === 'entries')).toBe(true);
    expect(signals.slice(0, 3).map((s) => `${hour(s.time!)} ${s.side}`)).toMatchInlineSnapshot(`
      [
        "2017-07-05T06 sell",
        "2017-07-05T18 buy",
        "2017-07-06T15 sell",
      ]
    `);
    expect(signals.length).toMatchInlineSnapshot(`631`);
  });

  it('signals carry the averages that caused them and a confidence from the spread', async () => {
    const [first] = await run(spy, { fast: 50, slow: 200, fullConfidenceSpread: 0.001 });
    expect(first?.metadata).toMatchObject({ fastMa: expect.any(Number), slowMa: expect.any(Number) });
    const m = first!.metadata as { fastMa: number; slowMa: number; spread: number };
    expect(m.spread).toBeCloseTo(m.fastMa - m.slowMa, 12);
    expect(first!.strength).toBeCloseTo(Math.min(1, Math.abs(m.spread) / m.slowMa / 0.001), 12);
    expect(first!.reason).toBe('death cross: SMA50 crossed below SMA200');
  });

  it('minConfidence drops weak crosses', async () => {
    const all = await run(spy, { fast: 10, slow: 30 });
    const strong = await run(spy, { fast: 10, slow: 30, minConfidence: 0.5 });
    expect(strong.length).toBeLessThan(all.length);
    expect(strong.every((s) => s.strength >= 0.5)).toBe(true);
    expect(strong).toEqual(all.filter((s) => s.strength >= 0.5));
  });

  it('keeps each symbol apart: interleaving SPY and BTC gives each its own signals', async () => {
    const spySlice = spy.slice(0, 800);
    const btcSlice = btc.slice(0, 800).map((b, i) => ({ ...b, time: spySlice[i]!.time }));
    const mixed = spySlice.flatMap((b, i) => [b, btcSlice[i]!]);
    const together = await run(mixed, { fast: 5, slow: 20 });
    const alone = [...(await run(spySlice, { fast: 5, slow: 20 })), ...(await run(btcSlice, { fast: 5, slow: 20 }))];
    const key = (s: { symbol: string; time?: number }) => `${s.symbol}@${s.time}`;
    expect(together.map(key).sort()).toEqual(alone.map(key).sort());
  });
});
