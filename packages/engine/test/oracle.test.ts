import { PluginManager, type LoadablePlugin } from '@trading-orchestrator/core-manager';
import { loadOhlcvCsv } from '@trading-orchestrator/market-data';
import { defineStrategy, type Bar, type PluginDefinition, type Signal } from '@trading-orchestrator/plugin-api';
import { maCrossover } from '@trading-orchestrator/strategy-ma-crossover';
import { testDataFile } from '@trading-orchestrator/testdata';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BacktestEngine, paperBroker, toCents, type BacktestResult, type SizingRule, type TradeRecord } from '../src/index.js';
import { simulate, type OracleConfig, type OracleResult, type OracleSignal, type OracleTrade } from './oracle/oracle.js';

/**
 * The engine against an independent simulator (test/oracle/oracle.ts, written from the documented rules) on real
 * data: the same signals through the real pipeline (strategy plugin, order desk, risk gate, paper broker, ledger)
 * must give the same trades, one by one, and the same cash and fees, to the cent.
 */
const builtIn = (id: string, definition: PluginDefinition): LoadablePlugin => ({ id, kind: definition.kind, version: '1.0.0', packageName: id, packageDir: '.', manifest: undefined, definition });
const spy = loadOhlcvCsv(testDataFile('ohlcv/equities/SPY_D.csv'), { symbol: 'SPY', timeframe: '1d' }).bars;
const btc = loadOhlcvCsv(testDataFile('ohlcv/crypto/Coinbase_BTCUSD_1h.csv'), { symbol: 'BTC/USD', timeframe: '1h' }).bars;
const between = (bars: readonly Bar[], from: string, to: string) => bars.filter((b) => b.time >= Date.parse(from) && b.time < Date.parse(to));

/** Simple moving averages, the plain way. */
function sma(bars: readonly Bar[], n: number): number[] {
  return bars.map((_, i) => (i < n - 1 ? Number.NaN : bars.slice(i - n + 1, i + 1).reduce((s, b) => s + b.close, 0) / n));
}

/** Crosses of the close over its SMA(n): +1 up, -1 down, 0 none. */
function crosses(bars: readonly Bar[], n: number): number[] {
  const m = sma(bars, n);
  return bars.map((b, i) => (i < n ? 0 : bars[i - 1]!.close <= m[i - 1]! && b.close > m[i]! ? 1 : bars[i - 1]!.close >= m[i - 1]! && b.close < m[i]! ? -1 : 0));
}

/** A strategy that says, bar by bar, what the scenario's signals say. */
function scripted(bars: readonly Bar[], signalsOn: (i: number) => readonly OracleSignal[]): PluginDefinition {
  const index = new Map(bars.map((b, i) => [b.time, i]));
  return defineStrategy({
    configSchema: z.object({}),
    init: () => ({
      warmupBars: 0,
      onBar: (bar: Bar): Signal[] => signalsOn(index.get(bar.time)!).map((s) => ({ symbol: bar.symbol, strength: 1, ...s })),
    }),
  }) as PluginDefinition;
}

interface Scenario {
  readonly bars: readonly Bar[];
  readonly signals: (i: number) => readonly OracleSignal[];
  readonly oracle: OracleConfig;
  /** The engine runs this strategy instead of the scripted one (the reference MA crossover). */
  readonly strategy?: { readonly definition: PluginDefinition; readonly config: object };
}

async function engineRun({ bars, signals, oracle: c, strategy }: Scenario): Promise<BacktestResult> {
  const manager = new PluginManager({ log: () => {} });
  await manager.load([
    strategy === undefined ? { plugin: builtIn('s', scripted(bars, signals)), config: {} } : { plugin: builtIn('s', strategy.definition), config: strategy.config },
    { plugin: builtIn('paper', paperBroker as PluginDefinition), config: { feeBps: c.feeBps, minFee: c.minFee, slippage: { bps: c.slippageBps } } },
  ]);
  await manager.start();
  // The sizing rule's cap stays out of the way: the oracle does not model it.
  const sizing: SizingRule = 'fraction' in c.sizing ? { method: 'fixed-fraction', fraction: c.sizing.fraction, maxPositionFraction: 10 } : { method: 'fixed-quantity', quantity: c.sizing.quantity, maxPositionFraction: 10 };
  const engine = new BacktestEngine({
    manager,
    brokerId: 'paper',
    riskIds: [],
    strategies: [{ instanceId: 's', allocation: 1, sizing, pyramiding: c.pyramiding }],
    capital: c.capital,
    periodsPerYear: 252,
    account: c.leverage === 'cash' ? { type: 'cash', insufficientFunds: c.insufficientFunds } : { type: 'margin', leverage: c.leverage, insufficientFunds: c.insufficientFunds },
    allowShort: c.allowShort,
    instruments: [{ symbol: bars[0]!.symbol, lotSize: c.lotSize }],
  });
  const result = await engine.run(bars);
  await manager.shutdown();
  return result;
}

const inCents = (t: TradeRecord | OracleTrade) => ({ direction: t.direction, quantity: t.quantity, entryTime: t.entryTime, exitTime: t.exitTime, pnl: toCents(t.pnl), fees: toCents(t.fees), exitReason: t.exitReason });

/** Trade by trade, then cash, fees and realised P&L to the cent; returns both for the scenario's own checks. */
async function agree(scenario: Scenario): Promise<{ engine: BacktestResult; oracle: OracleResult }> {
  const engine = await engineRun(scenario);
  const oracle = simulate(scenario.bars, scenario.signals, scenario.oracle);
  const trades = engine.strategies[0]!.trades;
  expect(trades.length, 'the scenario trades').toBeGreaterThan(5);
  expect(trades.map(inCents)).toEqual(oracle.trades.map(inCents));
  const p = engine.portfolio;
  expect(toCents(p.cash)).toBe(toCents(oracle.cash));
  expect(toCents(p.feesPaid)).toBe(toCents(oracle.fees));
  expect(p.positions).toEqual([]);
  // Flat at the end: the realised P&L is all the cash made, net of fees, and it is the trades' sum.
  expect(toCents(p.realizedPnl) - toCents(p.feesPaid)).toBe(toCents(p.cash) - toCents(scenario.oracle.capital));
  expect(trades.reduce((s, t) => s + toCents(t.pnl), 0)).toBe(toCents(p.cash) - toCents(scenario.oracle.capital));
  return { engine, oracle };
}

const base: OracleConfig = { capital: 100_000, sizing: { fraction: 0.5 }, lotSize: 0.000001, feeBps: 10, minFee: 0, slippageBps: 2, leverage: 'cash', allowShort: false, pyramiding: 0, insufficientFunds: 'resize' };

describe('the engine against an independent oracle, on real data', () => {
  it('long-short MA crossover: each cross reverses the position with one order, on one bar', async () => {
    const bars = between(spy, '2004-01-01', '2016-01-01');
    const fast = sma(bars, 20);
    const slow = sma(bars, 50);
    // The crosses computed the plain way, each targeting one ordinary entry on its side.
    const signals = (i: number): OracleSignal[] => {
      if (i < 50) return [];
      const before = fast[i - 1]! - slow[i - 1]!;
      const now = fast[i]! - slow[i]!;
      if (before <= 0 && now > 0) return [{ side: 'buy', target: { size: 1, unit: 'entries' } }];
      if (before >= 0 && now < 0) return [{ side: 'sell', target: { size: 1, unit: 'entries' } }];
      return [];
    };
    const { engine } = await agree({ bars, signals, oracle: { ...base, lotSize: 1, feeBps: 5, slippageBps: 1, leverage: 2, allowShort: true }, strategy: { definition: maCrossover as PluginDefinition, config: { fast: 20, slow: 50, mode: 'long-short' } } });
    const trades = engine.strategies[0]!.trades;
    const reversals = trades.filter((t) => t.exitReason === 'reversal');
    expect(reversals.length).toBeGreaterThan(40);
    // Longs and shorts alternate: the bug this fixes held only the side of the first cross.
    expect(trades.filter((t) => t.direction === 'long').length).toBeGreaterThan(20);
    expect(trades.filter((t) => t.direction === 'short').length).toBeGreaterThan(20);
    for (let i = 1; i < trades.length; i++) expect(trades[i]!.direction).not.toBe(trades[i - 1]!.direction);
    // The next trade opens on the very bar the last one closed.
    for (let i = 1; i < trades.length; i++) expect(trades[i]!.entryTime).toBe(trades[i - 1]!.exitTime);
  });

  it('pyramiding: plain buys add to a long up to the limit, the rest are ignored with the reason', async () => {
    const bars = between(btc, '2019-01-01', '2019-05-01');
    const m = sma(bars, 24);
    const signals = (i: number): OracleSignal[] => {
      if (i < 25) return [];
      const b = bars[i]!;
      if (b.close > m[i]! && b.close > bars[i - 1]!.close) return [{ side: 'buy' }];
      if (b.close < m[i]! && bars[i - 1]!.close >= m[i - 1]!) return [{ side: 'exit' }];
      return [];
    };
    const { engine, oracle } = await agree({ bars, signals, oracle: { ...base, sizing: { fraction: 0.2 }, pyramiding: 3 } });
    const ignored = engine.strategies[0]!.ignored;
    expect(ignored.PYRAMIDING_LIMIT).toBe(oracle.ignored.PYRAMIDING_LIMIT);
    expect(ignored.PYRAMIDING_LIMIT).toBeGreaterThan(50);
    expect(engine.strategies[0]!.ordersSubmitted).toBeGreaterThan(engine.strategies[0]!.tradeCount * 2);
  });

  it('partial exits: a quarter of the position at a time, and the rest at the exit', async () => {
    const bars = between(spy, '2003-01-01', '2013-01-01');
    const cross = crosses(bars, 50);
    let since = -1;
    const signals = (i: number): OracleSignal[] => {
      if (cross[i] === 1) {
        since = i;
        return [{ side: 'buy', target: { size: 1, unit: 'entries' } }];
      }
      if (cross[i] === -1) return [{ side: 'exit' }];
      return since >= 0 && i > since && (i - since) % 10 === 0 ? [{ side: 'exit', delta: { size: 0.25, unit: 'position' } }] : [];
    };
    const { engine } = await agree({ bars, signals, oracle: { ...base, sizing: { fraction: 0.8 }, lotSize: 1 } });
    expect(engine.strategies[0]!.ordersSubmitted).toBeGreaterThan(engine.strategies[0]!.tradeCount * 2);
  });

  it('trailing stops by percent and by price, and time exits, close what their entries opened', async () => {
    const bars = between(btc, '2018-01-01', '2018-07-01');
    const cross = crosses(bars, 48);
    const byPercent = (i: number): OracleSignal[] => (cross[i] === 1 ? [{ side: 'buy', trailingStop: { distance: 3, unit: 'percent' } }] : []);
    const { engine } = await agree({ bars, signals: byPercent, oracle: base });
    const reasons = new Set(engine.strategies[0]!.trades.map((t) => t.exitReason));
    expect(reasons.has('trailing-stop')).toBe(true);
    const byPrice = (i: number): OracleSignal[] => (cross[i] === 1 ? [{ side: 'buy', trailingStop: { distance: 250, unit: 'price' }, exitAfterBars: 36 }] : []);
    const priced = await agree({ bars, signals: byPrice, oracle: { ...base, slippageBps: 5 } });
    const exits = priced.engine.strategies[0]!.trades.map((t) => t.exitReason);
    expect(exits).toContain('trailing-stop');
    expect(exits).toContain('time-exit');
  });

  it('whole-unit sizing at the next open: every entry is the whole shares its equity buys at the open it fills at', async () => {
    const bars = between(spy, '2000-01-01', '2020-01-01');
    const cross = crosses(bars, 100);
    const signals = (i: number): OracleSignal[] => (cross[i] === 1 ? [{ side: 'buy' }] : cross[i] === -1 ? [{ side: 'exit' }] : []);
    const { engine } = await agree({ bars, signals, oracle: { ...base, sizing: { fraction: 0.95 }, lotSize: 1, minFee: 1 } });
    for (const t of engine.strategies[0]!.trades) expect(Number.isInteger(t.quantity)).toBe(true);
  });

  it('an order the account cannot pay is cut to what it can, or refused, and cash never goes below zero', async () => {
    const bars = between(spy, '2005-01-01', '2015-01-01');
    const cross = crosses(bars, 50);
    const signals = (i: number): OracleSignal[] => (cross[i] === 1 ? [{ side: 'buy' }] : cross[i] === -1 ? [{ side: 'exit' }] : []);
    const unaffordable = { ...base, sizing: { quantity: 5_000 }, lotSize: 1, feeBps: 5, minFee: 1 };
    const cut = await agree({ bars, signals, oracle: unaffordable });
    expect(cut.engine.strategies[0]!.ignored.INSUFFICIENT_FUNDS).toBe(cut.oracle.ignored.INSUFFICIENT_FUNDS);
    expect(cut.engine.strategies[0]!.ignored.INSUFFICIENT_FUNDS).toBeGreaterThan(5);
    expect(cut.oracle.lowestCash).toBeGreaterThanOrEqual(0);
    for (const t of cut.engine.strategies[0]!.trades) expect(t.quantity).toBeLessThan(5_000);
    // Refused instead: nothing is bought at all.
    const refused = await engineRun({ bars, signals, oracle: { ...unaffordable, insufficientFunds: 'reject' } });
    expect(refused.strategies[0]!.tradeCount).toBe(0);
    expect(refused.strategies[0]!.ignored.INSUFFICIENT_FUNDS).toBe(cross.filter((x) => x === 1).length - (cross.at(-1) === 1 ? 1 : 0));
    expect(refused.portfolio.cash).toBe(100_000);
  });
});
