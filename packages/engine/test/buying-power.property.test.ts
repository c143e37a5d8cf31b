import { PluginManager, type LoadablePlugin } from '@trading-orchestrator/core-manager';
import { generateUniverse } from '@trading-orchestrator/market-data';
import { defineRiskManager, defineStrategy, type Bar, type Fill, type PluginDefinition, type PortfolioSnapshot, type Signal } from '@trading-orchestrator/plugin-api';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BacktestEngine, paperBroker, type SizingRule } from '../src/index.js';

const builtIn = (id: string, definition: PluginDefinition): LoadablePlugin => ({ id, kind: definition.kind, version: '1.0.0', packageName: id, packageDir: '.', manifest: undefined, definition });
const BARS = 240;

const side = fc.constantFrom<Signal['side']>('buy', 'sell', 'exit');
const sizing = fc.oneof(
  fc.constant(undefined),
  fc.record({ target: fc.record({ size: fc.double({ min: 0, max: 3, noNaN: true }), unit: fc.constantFrom('units', 'equity', 'allocation', 'entries' as const) }) }),
  fc.record({ delta: fc.record({ size: fc.double({ min: 0.01, max: 2, noNaN: true }), unit: fc.constantFrom('units', 'position', 'entries' as const) }) }),
);
const protection = fc.record(
  { trailingStop: fc.record({ distance: fc.double({ min: 0.5, max: 20, noNaN: true }), unit: fc.constant('percent' as const) }), exitAfterBars: fc.integer({ min: 1, max: 20 }) },
  { requiredKeys: [] },
);
/** A signal on one bar of one symbol, in any of the forms the contract allows. */
const scripted = (limits: boolean) =>
  fc.record({
    at: fc.integer({ min: 0, max: BARS - 1 }),
    symbol: fc.constantFrom('A', 'B'),
    side,
    sizing,
    protection,
    limitBelow: limits ? fc.option(fc.double({ min: 0.001, max: 0.05, noNaN: true }), { nil: undefined }) : fc.constant(undefined),
  });
const rule = fc.oneof(
  fc.record({ method: fc.constant('fixed-fraction' as const), fraction: fc.double({ min: 0.05, max: 1, noNaN: true }), maxPositionFraction: fc.double({ min: 0.5, max: 5, noNaN: true }) }),
  fc.record({ method: fc.constant('fixed-quantity' as const), quantity: fc.integer({ min: 1, max: 5_000 }), maxPositionFraction: fc.constant(10) }),
);
const costs = fc.record({ feeBps: fc.integer({ min: 0, max: 50 }), minFee: fc.integer({ min: 0, max: 5 }), slippage: fc.record({ bps: fc.integer({ min: 0, max: 50 }) }) });

type Plan = { at: number; symbol: string; side: Signal['side']; sizing: object | undefined; protection: object; limitBelow: number | undefined };

/**
 * Runs the scripted signals and hands every fill, with the portfolio right after it, to `check`, which returns what
 * is wrong (checked outside the plugin: an assertion thrown inside a hook would be the plugin's failure, caught).
 */
async function run(bars: readonly Bar[], plans: readonly Plan[], options: { sizing: SizingRule; costs: object; account: object; allowShort: boolean; lotSize: number }, check: (fill: Fill, portfolio: PortfolioSnapshot) => string | undefined) {
  const problems: string[] = [];
  let fills = 0;
  const times = [...new Set(bars.map((b) => b.time))];
  const strategy = defineStrategy({
    configSchema: z.object({}),
    init: () => ({
      warmupBars: 0,
      onBar: (bar: Bar): Signal[] => {
        const at = times.indexOf(bar.time);
        return plans
          .filter((p) => p.at === at && p.symbol === bar.symbol)
          .flatMap((p): Signal[] => {
            const signal = { symbol: bar.symbol, side: p.side, strength: 1, ...(p.side === 'exit' ? {} : p.protection), ...(p.limitBelow === undefined || p.side === 'exit' ? {} : { limitPrice: bar.close * (p.side === 'buy' ? 1 - p.limitBelow : 1 + p.limitBelow), validForBars: 3 }) } as Signal;
            // Only signals the contract allows (a broken one would be the strategy's failure, and five disable it):
            // an exit takes no target, and reduces by at most the whole position.
            if (p.side !== 'exit' || p.sizing === undefined) return [{ ...signal, ...p.sizing } as Signal];
            const delta = (p.sizing as { delta?: { size: number; unit: string } }).delta;
            if (delta === undefined) return [signal];
            return [{ ...signal, delta: { ...delta, size: delta.unit === 'position' ? Math.min(delta.size, 1) : delta.size } } as Signal];
          });
      },
    }),
  });
  const onFill = (fill: Fill, portfolio: PortfolioSnapshot) => {
    fills++;
    const problem = check(fill, portfolio);
    if (problem !== undefined) problems.push(problem);
  };
  const watcher = defineRiskManager({ configSchema: z.object({}), init: () => ({ checkOrder: () => ({ action: 'allow' as const }), onFill }) });
  const manager = new PluginManager({ log: () => {} });
  await manager.load([
    { plugin: builtIn('s', strategy as PluginDefinition), config: {} },
    { plugin: builtIn('watcher', watcher as PluginDefinition), config: {} },
    { plugin: builtIn('paper', paperBroker as PluginDefinition), config: options.costs },
  ]);
  await manager.start();
  const engine = new BacktestEngine({
    manager,
    brokerId: 'paper',
    riskIds: ['watcher'],
    strategies: [{ instanceId: 's', allocation: 1, sizing: options.sizing, pyramiding: 2 }],
    capital: 50_000,
    periodsPerYear: 8_760,
    account: options.account,
    allowShort: options.allowShort,
    instruments: [{ symbol: 'A', lotSize: options.lotSize }, { symbol: 'B', lotSize: options.lotSize }],
  });
  const result = await engine.run(bars);
  const strategyFailures = manager.get('s')!.guarded.failures;
  await manager.shutdown();
  expect(problems).toEqual([]);
  expect(strategyFailures, 'the scripted strategy only sends valid signals').toBe(0);
  return { result, fills };
}

describe('buying power holds after every fill, whatever the signals', () => {
  let totalFills = 0;
  it('a cash account never goes below zero cash: entries, adds, reversals cut to closes, limits, brackets and the run’s end', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1_000 }), fc.array(scripted(true), { minLength: 30, maxLength: 80 }), rule, costs, fc.constantFrom('resize', 'reject'), fc.constantFrom(1, 0.001), async (seed, plans, sizingRule, fees, insufficientFunds, lotSize) => {
        const bars = generateUniverse(['A', 'B'], { timeframe: '1h', count: BARS, seed, volatility: 0.8, initialPrice: 100 });
        const { result, fills } = await run(bars, plans, { sizing: sizingRule as SizingRule, costs: fees, account: { type: 'cash', insufficientFunds }, allowShort: false, lotSize }, (fill, portfolio) => {
          if (portfolio.cash < 0) return `cash ${portfolio.cash} after ${fill.side} ${fill.quantity} ${fill.symbol} at ${fill.price}`;
          if (portfolio.positions.some((p) => p.quantity < 0)) return `a short in a cash account after ${fill.side} ${fill.quantity} ${fill.symbol}`;
          return undefined;
        });
        expect(result.portfolio.cash).toBeGreaterThanOrEqual(0);
        totalFills += fills;
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 60) },
    );
    // The property is about fills: the generated signals make plenty of them.
    expect(totalFills).toBeGreaterThan(200);
  }, 120_000);

  it('a margin account keeps gross exposure within equity × leverage after every fill that adds exposure', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1_000 }), fc.array(scripted(false), { minLength: 30, maxLength: 80 }), rule, costs, fc.integer({ min: 1, max: 4 }), async (seed, plans, sizingRule, fees, leverage) => {
        const bars = generateUniverse(['A', 'B'], { timeframe: '1h', count: BARS, seed, volatility: 0.8, initialPrice: 100 });
        const held = new Map<string, number>();
        const { fills } = await run(bars, plans, { sizing: sizingRule as SizingRule, costs: fees, account: { type: 'margin', leverage }, allowShort: true, lotSize: 0.001 }, (fill, portfolio) => {
          const after = portfolio.positions.find((p) => p.symbol === fill.symbol)?.quantity ?? 0;
          const before = held.get(fill.symbol) ?? 0;
          held.set(fill.symbol, after);
          if (Math.abs(after) <= Math.abs(before) && Math.sign(after) !== -Math.sign(before)) return undefined;
          return portfolio.grossExposure <= leverage * portfolio.equity + 0.01 ? undefined : `gross ${portfolio.grossExposure} over ${leverage} × equity ${portfolio.equity} after ${fill.side} ${fill.quantity} ${fill.symbol} at ${fill.price}`;
        });
        totalFills += fills;
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 60) },
    );
  }, 120_000);
});
