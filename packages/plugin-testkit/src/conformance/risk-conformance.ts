import { PluginManager, RETURN_VALIDATORS, RiskGate } from '@trading-orchestrator/core-manager';
import type { Bar, OrderIntent, PortfolioSnapshot, Position, RiskDecision, RiskManager, RiskManagerDefinition } from '@trading-orchestrator/plugin-api';
import { describe, expect, it } from 'vitest';
import { generateUniverse, SeededRandom } from '@trading-orchestrator/market-data';
import { manifestAndConfigChecks, type InvalidConfigCase } from './manifest-checks.js';
import { createTestContext } from './test-context.js';

export interface RiskConformanceOptions<Config> {
  readonly definition: RiskManagerDefinition<Config>;
  readonly packageJson: string | URL;
  readonly validConfig: unknown;
  readonly invalidConfigs: readonly InvalidConfigCase[];
  /** Bars fed before orders are checked; default: 4 symbols × 500 daily bars from the seeded generator. */
  readonly bars?: readonly Bar[];
}

/** A portfolio holding `positions` at their last prices, with the given cash. */
export function portfolioOf(positions: readonly Position[], cash: number, time = 0): PortfolioSnapshot {
  const values = positions.map((p) => p.quantity * p.marketPrice);
  const net = values.reduce((s, v) => s + v, 0);
  return {
    time,
    currency: 'USD',
    cash,
    equity: cash + net,
    positions,
    grossExposure: values.reduce((s, v) => s + Math.abs(v), 0),
    netExposure: net,
    realizedPnl: 0,
    unrealizedPnl: positions.reduce((s, p) => s + p.unrealizedPnl, 0),
    feesPaid: 0,
  };
}

export function positionOf(symbol: string, quantity: number, price: number): Position {
  return { symbol, quantity, averagePrice: price, marketPrice: price, unrealizedPnl: 0, realizedPnl: 0, openedAt: 0 };
}

/** The risk conformance suite: call it at the top level of a vitest file. */
export function describeRiskConformance<Config>(name: string, options: RiskConformanceOptions<Config>): void {
  const { definition } = options;
  const bars = options.bars ?? generateUniverse(['AAA', 'BBB', 'CCC', 'DDD'], { timeframe: '1d', count: 500, seed: 21, volatility: 0.4 });
  const symbols = [...new Set(bars.map((b) => b.symbol))];
  const lastPrice = new Map(bars.map((b) => [b.symbol, b.close]));
  const endTime = bars.at(-1)?.time ?? 0;

  const start = async (): Promise<RiskManager> => {
    const parsed = await definition.configSchema['~standard'].validate(options.validConfig);
    if (parsed.issues !== undefined) throw new Error(`validConfig is invalid: ${parsed.issues.map((i) => i.message).join('; ')}`);
    const risk = await definition.init(createTestContext(parsed.value as Config));
    await risk.start?.();
    for (const bar of bars) await risk.onBar?.(bar);
    return risk;
  };

  /** A random order against a random book; with `equity`, the book's equity is held at that value. */
  const randomCase = (rng: SeededRandom, k: number, equity?: number): { intent: OrderIntent; portfolio: PortfolioSnapshot } => {
    const held = symbols.filter(() => rng.next() < 0.5).map((s) => positionOf(s, Math.round((rng.next() - 0.3) * 200), lastPrice.get(s)!));
    const heldValue = held.reduce((s, p) => s + p.quantity * p.marketPrice, 0);
    const cash = equity === undefined ? 20_000 + rng.next() * 200_000 : equity - heldValue;
    const symbol = symbols[Math.floor(rng.next() * symbols.length)]!;
    const intent: OrderIntent = {
      id: `conformance-${k}`,
      symbol,
      side: rng.next() < 0.6 ? 'buy' : 'sell',
      quantity: 1 + Math.floor(rng.next() * 500),
      type: 'market',
      reduceOnly: rng.next() < 0.1,
      strategyId: 'conformance',
      time: endTime,
      referencePrice: lastPrice.get(symbol)!,
    };
    return { intent, portfolio: portfolioOf(held, cash, endTime) };
  };

  describe(`${name}: risk conformance`, () => {
    manifestAndConfigChecks({ kind: 'risk', packageJson: options.packageJson, configSchema: definition.configSchema, definitionKind: definition.kind, validConfig: options.validConfig, invalidConfigs: options.invalidConfigs });

    it('answers every order with a well-formed decision; a resize never grows the order', async () => {
      const risk = await start();
      const rng = new SeededRandom(99);
      const actions = new Set<string>();
      for (let k = 0; k < 300; k++) {
        const { intent, portfolio } = randomCase(rng, k);
        const decision = (await risk.checkOrder(intent, portfolio)) as RiskDecision;
        expect(RETURN_VALIDATORS.risk.checkOrder!(decision), JSON.stringify(decision)).toBeUndefined();
        actions.add(decision.action);
        if (decision.action === 'resize') {
          expect(decision.quantity).toBeGreaterThan(0);
          expect(decision.quantity).toBeLessThanOrEqual(intent.quantity);
        }
        if (decision.action !== 'allow') expect(decision.message.length).toBeGreaterThan(10);
      }
      expect(actions.has('allow'), 'some orders are allowed').toBe(true);
    });

    for (const failure of ['throws', 'hangs'] as const) {
      it(`when its checkOrder ${failure}, the gate denies the order (fail closed)`, async () => {
        const broken: RiskManagerDefinition<Config> = {
          ...definition,
          async init(ctx) {
            const inner = await definition.init(ctx);
            const checkOrder = failure === 'throws' ? () => { throw new Error('model crashed'); } : () => new Promise<RiskDecision>(() => {});
            return Object.assign(Object.create(inner) as RiskManager, { checkOrder });
          },
        };
        const manager = new PluginManager({ log: () => {} });
        await manager.load([{ plugin: { id: name, kind: 'risk', version: '0.0.0', packageName: name, packageDir: '.', manifest: undefined, definition: broken }, config: options.validConfig, hookLimits: { checkOrder: { softMs: 10, hardMs: 30 } } }]);
        await manager.start();
        const { intent, portfolio } = randomCase(new SeededRandom(1), 0);
        const verdict = await new RiskGate(manager, [name]).check({ ...intent, reduceOnly: false }, portfolio);
        expect(verdict.approved).toBe(false);
        if (!verdict.approved) expect(verdict.code).toBe(failure === 'throws' ? 'RISK_PLUGIN_FAILED' : 'RISK_PLUGIN_TIMEOUT');
        await manager.shutdown();
      });
    }

    it('a position opened and closed again leaves its decisions as they were (equity held constant)', async () => {
      const fresh = await start();
      const used = await start();
      const rng = new SeededRandom(5);
      for (let k = 0; k < 20; k++) {
        const symbol = symbols[k % symbols.length]!;
        const position = positionOf(symbol, 10 + k, lastPrice.get(symbol)!);
        await used.onPositionOpened?.(position, portfolioOf([position], 100_000, endTime));
        await used.onPositionClosed?.({ ...position, quantity: 0 }, portfolioOf([], 100_000, endTime));
      }
      await fresh.portfolioRisk?.(portfolioOf([], 100_000, endTime));
      await used.portfolioRisk?.(portfolioOf([], 100_000, endTime));
      for (let k = 0; k < 100; k++) {
        const { intent, portfolio } = randomCase(rng, k, 100_000);
        expect(await used.checkOrder(intent, portfolio), intent.id).toEqual(await fresh.checkOrder(intent, portfolio));
      }
    });

    it('its decisions are deterministic', async () => {
      const a = await start();
      const b = await start();
      const rng = new SeededRandom(17);
      for (let k = 0; k < 50; k++) {
        const { intent, portfolio } = randomCase(rng, k);
        expect(await b.checkOrder(intent, portfolio)).toEqual(await a.checkOrder(intent, portfolio));
      }
    });
  });
}
