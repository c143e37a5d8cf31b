import type { Bar, RiskEvent, RiskManager } from '@trading-orchestrator/plugin-api';
import { createTestContext, loadOhlcvCsv, portfolioOf, positionOf, type TestContext } from '@trading-orchestrator/plugin-testkit';
import { describe, expect, it } from 'vitest';
import { normalQuantile, varConfig, varRiskManager, type VarConfig } from '../src/index.js';
import { testDataFile } from '@trading-orchestrator/testdata';

// 2015–2017, where the equities and BTC overlap: SPY, AAPL, GOOGL and BTC daily closes (BTC trades every day;
// returns are aligned on the days all of them have).
const from = Date.UTC(2015, 0, 1);
const to = Date.UTC(2018, 0, 1);
const inRange = (bars: Bar[]) => bars.filter((b) => b.time >= from && b.time < to);
const ticker = testDataFile('ohlcv/equities/dash-stock-ticker-demo.csv');
const series: Record<string, Bar[]> = {
  SPY: inRange(loadOhlcvCsv(testDataFile('ohlcv/equities/SPY_D.csv'), { symbol: 'SPY', timeframe: '1d' }).bars),
  AAPL: inRange(loadOhlcvCsv(ticker, { symbol: 'AAPL', timeframe: '1d' }).bars),
  GOOGL: inRange(loadOhlcvCsv(ticker, { symbol: 'GOOGL', timeframe: '1d' }).bars),
  'BTC/USD': inRange(loadOhlcvCsv(testDataFile('ohlcv/crypto/Coinbase_BTCUSD_d.csv'), { symbol: 'BTC/USD', timeframe: '1d' }).bars),
};
const allBars = Object.values(series).flat().sort((a, b) => a.time - b.time || (a.symbol < b.symbol ? -1 : 1));
const last = (symbol: string) => series[symbol]!.at(-1)!.close;

async function started(config: Partial<VarConfig> = {}): Promise<{ risk: RiskManager; ctx: TestContext<VarConfig> }> {
  const ctx = createTestContext(varConfig.parse({ window: 250, minHistory: 100, ...config }));
  const risk = await varRiskManager.init(ctx);
  for (const bar of allBars) await risk.onBar!(bar);
  return { risk, ctx };
}

/** The same figures computed the plain way: closes joined on common dates, returns between them, last 250. */
function independentVar(holdings: Record<string, number>, confidence: number): { historical: number; es: number; parametric: number; drift: number } {
  const symbols = Object.keys(holdings).sort();
  const closes = symbols.map((s) => new Map(series[s]!.map((b) => [b.time, b.close])));
  const common = [...closes[0]!.keys()].filter((t) => closes.every((c) => c.has(t))).sort((a, b) => a - b).slice(-251);
  const days = common.slice(1);
  const returns = closes.map((c) => new Map(days.map((t, k) => [t, c.get(t)! / c.get(common[k]!)! - 1])));
  const pnl = days.map((t) => symbols.reduce((s, sym, i) => s + holdings[sym]! * returns[i]!.get(t)!, 0));
  const losses = pnl.map((p) => -p).sort((a, b) => b - a);
  const m = Math.ceil(days.length * (1 - confidence) - 1e-9);
  const cols = symbols.map((_, i) => days.map((t) => returns[i]!.get(t)!));
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const mu = cols.map(mean);
  let variance = 0;
  let drift = 0;
  symbols.forEach((a, i) => {
    drift += holdings[a]! * mu[i]!;
    symbols.forEach((b, j) => {
      const cov = cols[i]!.reduce((s, x, k) => s + (x - mu[i]!) * (cols[j]![k]! - mu[j]!), 0) / (days.length - 1);
      variance += holdings[a]! * holdings[b]! * cov;
    });
  });
  return {
    historical: losses[m - 1]!,
    es: losses.slice(0, m).reduce((s, x) => s + x, 0) / m,
    parametric: normalQuantile(confidence) * Math.sqrt(variance) - drift,
    drift,
  };
}

async function varOf(risk: RiskManager, holdings: Record<string, number>) {
  const positions = Object.entries(holdings).map(([s, v]) => positionOf(s, v / last(s), last(s)));
  return (await risk.portfolioRisk!(portfolioOf(positions, 1_000_000, to)));
}

describe('VaR on real prices (SPY, AAPL, GOOGL, BTC, 2015–2017)', () => {
  const book = { SPY: 300_000, AAPL: 150_000, GOOGL: 150_000, 'BTC/USD': 50_000 };

  it('matches an independent computation: historical VaR and ES, parametric VaR', async () => {
    const { risk } = await started();
    const metrics = await varOf(risk, book);
    const expected = independentVar(book, 0.99);
    expect(metrics.values!.historicalVar).toBeCloseTo(expected.historical, 6);
    expect(metrics.values!.historicalEs).toBeCloseTo(expected.es, 6);
    expect(metrics.values!.parametricVar).toBeCloseTo(expected.parametric, 6);
    expect(metrics.valueAtRisk).toBe(metrics.values!.historicalVar);
    expect(metrics.values!.periods).toBe(250);
  });

  it('a hedged book (long AAPL, short SPY) has a lower VaR than its parts', async () => {
    const { risk } = await started();
    const hedged = (await varOf(risk, { AAPL: 200_000, SPY: -200_000 })).valueAtRisk!;
    const aapl = (await varOf(risk, { AAPL: 200_000 })).valueAtRisk!;
    const spy = (await varOf(risk, { SPY: -200_000 })).valueAtRisk!;
    expect(hedged).toBeLessThan(aapl);
    expect(hedged).toBeLessThan(aapl + spy);
    expect(hedged).toBeCloseTo(independentVar({ AAPL: 200_000, SPY: -200_000 }, 0.99).historical, 6);
    const corr = (await varOf(risk, { AAPL: 200_000, SPY: -200_000 })).values!['correlation:AAPL:SPY']!;
    expect(corr).toBeGreaterThan(0.4);
  });

  it('diversification: the book’s VaR is below the sum of the positions’ VaRs; components add up', async () => {
    const { risk } = await started({ method: 'parametric' });
    const total = (await varOf(risk, book)).values!;
    let sum = 0;
    for (const [s, v] of Object.entries(book)) sum += (await varOf(risk, { [s]: v })).valueAtRisk!;
    expect(total.parametricVar!).toBeLessThan(sum);
    const components = Object.keys(book).reduce((s, sym) => s + total[`componentVar:${sym}`]!, 0);
    // Components split the volatility part z·σ exactly; VaR also subtracts the mean P&L, which is not allocated.
    expect(components - total.parametricVar!).toBeCloseTo(independentVar(book, 0.99).drift, 6);
    expect(total.herfindahl).toBeCloseTo((3 / 6.5) ** 2 + 2 * (1.5 / 6.5) ** 2 + (0.5 / 6.5) ** 2, 9);
  });

  it('denies an order that would take VaR over the limit, naming the limit and the values before and after', async () => {
    const { risk } = await started({ maxVarPct: 0.02, maxPositionWeight: 2, onLimit: 'deny' });
    const portfolio = portfolioOf([positionOf('SPY', 1500, last('SPY'))], 1_000_000 - 1500 * last('SPY'), to);
    const intent = { id: 'o1', symbol: 'BTC/USD', side: 'buy' as const, quantity: 60, type: 'market' as const, reduceOnly: false, strategyId: 's', time: to, referencePrice: last('BTC/USD') };
    const decision = await risk.checkOrder(intent, portfolio);
    expect(decision).toMatchObject({ action: 'deny', code: 'VAR_LIMIT_EXCEEDED' });
    if (decision.action === 'deny') {
      expect(decision.message).toMatch(/^portfolio VaR \(99%, 1 bar, historical\) after the trade would be \d+\.\d\d% of equity \(\d+\.\d\d\), above the 2\.00% limit \(20000\.00\); now \d+\.\d\d% \(\d+\.\d\d\)$/);
    }
  });

  it('in resize mode, shrinks the order to the largest quantity that fits', async () => {
    const { risk } = await started({ maxVarPct: 0.02, maxPositionWeight: 2, onLimit: 'resize' });
    const portfolio = portfolioOf([positionOf('SPY', 1500, last('SPY'))], 1_000_000 - 1500 * last('SPY'), to);
    const intent = { id: 'o1', symbol: 'BTC/USD', side: 'buy' as const, quantity: 200, type: 'market' as const, reduceOnly: false, strategyId: 's', time: to, referencePrice: last('BTC/USD') };
    const decision = await risk.checkOrder(intent, portfolio);
    expect(decision.action).toBe('resize');
    if (decision.action !== 'resize') return;
    const q = decision.quantity;
    const varWith = (quantity: number) => independentVar({ SPY: 1500 * last('SPY'), 'BTC/USD': quantity * last('BTC/USD') }, 0.99).historical;
    expect(varWith(q)).toBeLessThanOrEqual(20_000 + 1e-6);
    expect(varWith(q * 1.001)).toBeGreaterThan(20_000);
  });

  it('by default lets a position be as large as the account and cuts an order over the VaR limit to fit, naming the setting', async () => {
    const { risk } = await started();
    const cash = portfolioOf([], 1_000_000, to);
    // All the equity in SPY: no weight limit below the account's own.
    const allIn = { id: 'o4', symbol: 'SPY', side: 'buy' as const, quantity: Math.floor(950_000 / last('SPY')), type: 'market' as const, reduceOnly: false, strategyId: 's', time: to, referencePrice: last('SPY') };
    const spy = await risk.checkOrder(allIn, cash);
    expect(spy.action === 'allow' || (spy.action === 'resize' && spy.code === 'VAR_LIMIT_RESIZED')).toBe(true);
    const btc = await risk.checkOrder({ ...allIn, symbol: 'BTC/USD', quantity: 950_000 / last('BTC/USD'), referencePrice: last('BTC/USD') }, cash);
    expect(btc).toMatchObject({ action: 'resize', code: 'VAR_LIMIT_RESIZED', setting: 'maxVarPct' });
    if (btc.action === 'resize') expect(independentVar({ 'BTC/USD': btc.quantity * last('BTC/USD') }, 0.99).historical).toBeLessThanOrEqual(20_000 + 1e-6);
  });

  it('caps a single position’s weight, denying or resizing', async () => {
    const portfolio = portfolioOf([], 1_000_000, to);
    const intent = { id: 'o2', symbol: 'AAPL', side: 'buy' as const, quantity: 3000, type: 'market' as const, reduceOnly: false, strategyId: 's', time: to, referencePrice: 100 };
    const deny = await (await started({ maxPositionWeight: 0.1, maxVarPct: 1, onLimit: 'deny' })).risk.checkOrder(intent, portfolio);
    expect(deny).toEqual({ action: 'deny', code: 'POSITION_WEIGHT_EXCEEDED', message: 'position weight of AAPL after the trade would be 30.00% of equity, above the 10.00% limit (now 0.00%)', setting: 'maxPositionWeight' });
    const resize = await (await started({ maxPositionWeight: 0.1, maxVarPct: 1, onLimit: 'resize' })).risk.checkOrder(intent, portfolio);
    expect(resize).toMatchObject({ action: 'resize', quantity: 1000, code: 'POSITION_WEIGHT_RESIZED' });
  });

  it('without enough history: denies, or allows with a warning event, as configured — never a silent 0', async () => {
    const portfolio = portfolioOf([], 1_000_000, to);
    const intent = { id: 'o3', symbol: 'NEWCO', side: 'buy' as const, quantity: 10, type: 'market' as const, reduceOnly: false, strategyId: 's', time: to, referencePrice: 50 };
    expect(await (await started()).risk.checkOrder(intent, portfolio)).toEqual({
      action: 'deny',
      code: 'VAR_INSUFFICIENT_HISTORY',
      message: 'not enough history for VaR: NEWCO: 0 returns, 100 needed; the order is denied (insufficientHistory: deny)',
      setting: 'minHistory',
    });
    const { risk, ctx } = await started({ insufficientHistory: 'allow-with-warning' });
    expect(await risk.checkOrder(intent, portfolio)).toEqual({ action: 'allow' });
    expect(ctx.raised).toMatchObject([{ level: 'warning', code: 'VAR_INSUFFICIENT_HISTORY', symbol: 'NEWCO' }]);
    expect((await risk.portfolioRisk!(portfolioOf([positionOf('NEWCO', 10, 50)], 1_000, to))).values).toEqual({ insufficientHistory: 1 });
  });

  it('raises breach, warning and recovery events with levels, and reports utilisation', async () => {
    const { risk, ctx } = await started({ maxVarPct: 0.02 });
    const at = (spyValue: number) => portfolioOf([positionOf('SPY', spyValue / last('SPY'), last('SPY'))], 1_000_000 - spyValue, to);
    const small = await risk.portfolioRisk!(at(100_000));
    const big = await risk.portfolioRisk!(at(2_000_000));
    await risk.portfolioRisk!(at(100_000));
    expect(small.limits[0]).toMatchObject({ name: 'portfolio VaR / equity', limit: 0.02, breached: false });
    expect(big.limits[0]!.breached).toBe(true);
    expect(big.limits[0]!.utilisation).toBeGreaterThan(1);
    expect(ctx.raised.map((e: RiskEvent) => `${e.level} ${e.code}`)).toEqual(['critical VAR_LIMIT_BREACHED', 'info VAR_LIMIT_RECOVERED']);
    expect(ctx.raised[0]!.message).toMatch(/^portfolio VaR \(99%, 1 bar, historical\) is \d+\.\d\d% of equity \(\d+\.\d\d\), limit 2\.00%: limit breached$/);
  });

  it('horizon scaling follows √h', async () => {
    const one = (await varOf((await started()).risk, book)).valueAtRisk!;
    const ten = (await varOf((await started({ horizonBars: 10 })).risk, book)).valueAtRisk!;
    expect(ten / one).toBeCloseTo(Math.sqrt(10), 9);
  });
});
