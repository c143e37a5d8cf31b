import type { Broker, BrokerDefinition, Fill, OrderIntent } from '@trading-orchestrator/plugin-api';
import { afterEach, describe, expect, it } from 'vitest';
import { manifestAndConfigChecks, type InvalidConfigCase } from './manifest-checks.js';
import { createTestContext, type TestContext } from './test-context.js';

/**
 * The market a broker under test trades on, made fresh for each test: a local fake of the venue for a venue broker,
 * bars for a broker that simulates fills (`barVenue`). Optional members are the faults the venue can stage; the
 * suite's tests for a fault run only when the venue can stage it.
 */
export interface ConformanceVenue {
  /** A config of the broker that trades on this venue. */
  readonly config: unknown;
  readonly symbol: string;
  /** Where the market trades when the test starts. */
  readonly price: number;
  /** A quantity the venue takes for a market order at `price`, which the account can pay for several times. */
  readonly quantity: number;
  /** A quantity the account cannot pay for at `price`; omit for a broker that leaves buying power to the host. */
  readonly unaffordable?: number;
  /**
   * Lets time pass at the venue with the market at `price`; resting orders the price reaches fill. For a broker
   * that fills on bars: a bar given to its `onBar`, whose fills are returned. For a venue broker: what it does to
   * learn what happened (a round of polling), its fills coming through `reportFill`.
   */
  pass(broker: Broker, price: number): Promise<readonly Fill[] | undefined>;
  /** Fills `quantity` of the working order the host knows as `orderId`, at its limit. */
  fillPartially?(orderId: string, quantity: number): Promise<void>;
  /** The next order is placed, but its answer never reaches the broker (the client times out). */
  loseNextAnswer?(): void;
  /** How many orders the venue holds under the host's id `orderId`. */
  ordersWithId?(orderId: string): number;
  /** Cuts the broker off the venue until `reconnect`. */
  disconnect?(): void;
  reconnect?(): void;
  close(): Promise<void>;
}

export interface BrokerConformanceOptions<Config> {
  readonly definition: BrokerDefinition<Config>;
  /** The plugin's package.json, for the manifest checks; omit for a broker built into a host package. */
  readonly packageJson?: string | URL;
  /** A config the schema accepts, for the manifest checks (the venue's own config is made per test). */
  readonly validConfig?: unknown;
  readonly invalidConfigs?: readonly InvalidConfigCase[];
  /** Makes the venue for one test. */
  readonly venue: () => Promise<ConformanceVenue>;
}

/** What a test holds: the venue, the started broker, its context, and every fill it gave, either way. */
interface Session {
  readonly venue: ConformanceVenue;
  readonly broker: Broker;
  readonly ctx: TestContext<unknown>;
  /** Lets time pass at `price` (the venue's if not given), `times` times; every fill the broker gave so far. */
  pass(price?: number, times?: number): Promise<readonly Fill[]>;
}

const TOLERANCE = 1e-9;
const sum = (fills: readonly Fill[], orderId: string) => fills.filter((f) => f.orderId === orderId).reduce((s, f) => s + f.quantity, 0);
// A venue that takes its fee out of what was bought books a little less than the order: at most this much less.
const IN_KIND = 0.99;

/**
 * The broker conformance suite: call it at the top level of a vitest file. It checks what the host relies on from
 * every broker: orders go under the host's id, a market order fills once per venue trade, a submit repeated with the
 * same id is never a second order, a limit order rests and cancels, what the account cannot pay for is rejected
 * with a reason rather than thrown, and, where the venue can stage them, a partial fill, a lost answer and a
 * dropped connection.
 */
export function describeBrokerConformance<Config>(name: string, options: BrokerConformanceOptions<Config>): void {
  const { definition } = options;
  const open: Session[] = [];
  afterEach(async () => {
    for (const s of open.splice(0)) {
      await s.broker.stop?.();
      await s.venue.close();
    }
  });

  const start = async (): Promise<Session> => {
    const venue = await options.venue();
    const parsed = await definition.configSchema['~standard'].validate(venue.config);
    if (parsed.issues !== undefined) {
      await venue.close();
      throw new Error(`the venue's config is invalid: ${parsed.issues.map((i) => i.message).join('; ')}`);
    }
    const ctx = createTestContext<unknown>(parsed.value);
    ctx.now = Date.now();
    const broker = await definition.init(ctx as TestContext<Config>);
    await broker.start?.();
    const given: Fill[] = [];
    const session: Session = {
      venue,
      broker,
      ctx,
      async pass(price = venue.price, times = 1) {
        for (let i = 0; i < times; i++) {
          ctx.now += 60_000;
          given.push(...((await venue.pass(broker, price)) ?? []));
        }
        return [...given, ...ctx.fills];
      },
    };
    open.push(session);
    return session;
  };
  let sequence = 0;
  const intentOn = (venue: ConformanceVenue, over: Partial<OrderIntent>): OrderIntent => ({
    id: `conformance-${Date.now().toString(36)}-${++sequence}`,
    symbol: venue.symbol,
    side: 'buy',
    quantity: venue.quantity,
    type: 'market',
    reduceOnly: false,
    strategyId: 'conformance',
    time: Date.now(),
    referencePrice: venue.price,
    ...over,
  });

  describe(`${name}: broker conformance`, () => {
    if (options.packageJson !== undefined) {
      manifestAndConfigChecks({ kind: 'broker', packageJson: options.packageJson, configSchema: definition.configSchema, definitionKind: definition.kind, validConfig: options.validConfig, invalidConfigs: options.invalidConfigs ?? [] });
    }

    it('fills a market order under the host\'s id, and reports each venue trade once', async () => {
      const s = await start();
      const intent = intentOn(s.venue, {});
      const order = await s.broker.submit(intent);
      expect(order.id, 'the order answers to the host\'s id').toBe(intent.id);
      expect(order.status, `rejected: ${order.reason}`).not.toBe('rejected');
      const fills = await s.pass(undefined, 3);
      const filled = sum(fills, intent.id);
      expect(filled, 'what the venue filled of the order').toBeGreaterThanOrEqual(intent.quantity * IN_KIND);
      expect(filled).toBeLessThanOrEqual(intent.quantity + TOLERANCE);
      for (const f of fills) {
        expect(f.orderId).toBe(intent.id);
        expect(f.symbol).toBe(intent.symbol);
        expect(f.side).toBe('buy');
        expect(Number.isFinite(f.price) && f.price > 0, `fill price ${f.price}`).toBe(true);
        expect(Number.isFinite(f.fee) && f.fee >= 0, `fill fee ${f.fee}`).toBe(true);
      }
      const ids = fills.flatMap((f) => (f.tradeId === undefined ? [] : [f.tradeId]));
      expect(new Set(ids).size, 'a venue trade reported twice').toBe(ids.length);
      expect((await s.pass(undefined, 2)).length, 'fills reported again as time passed').toBe(fills.length);
    });

    it('never makes a second order of a submit repeated with the same id', async () => {
      const s = await start();
      const intent = intentOn(s.venue, {});
      const first = await s.broker.submit(intent);
      const again = await s.broker.submit(intent);
      expect(again.id).toBe(intent.id);
      expect(first.status).not.toBe('rejected');
      const fills = await s.pass(undefined, 3);
      expect(sum(fills, intent.id), 'filled more than one order\'s quantity').toBeLessThanOrEqual(intent.quantity + TOLERANCE);
      if (s.venue.ordersWithId !== undefined) expect(s.venue.ordersWithId(intent.id)).toBe(1);
    });

    it('rests a limit order below the market, cancels it, and takes a second cancel or an unknown id as nothing to do', async () => {
      const s = await start();
      const intent = intentOn(s.venue, { type: 'limit', limitPrice: s.venue.price * 0.9 });
      const order = await s.broker.submit(intent);
      expect(['new', 'accepted'], `a limit order below the market: ${order.status} ${order.reason ?? ''}`).toContain(order.status);
      expect(sum(await s.pass(), intent.id)).toBe(0);
      const cancelled = await s.broker.cancel(intent.id);
      expect(cancelled?.status).toBe('cancelled');
      expect(cancelled?.id).toBe(intent.id);
      expect(await s.broker.cancel(intent.id)).toBeUndefined();
      expect(await s.broker.cancel('conformance-never-sent')).toBeUndefined();
      // The price falls through the limit: a cancelled order does not fill.
      expect(sum(await s.pass(s.venue.price * 0.8, 2), intent.id)).toBe(0);
    });

    it('rejects what the account cannot pay for with a reason, without throwing', async (t) => {
      const s = await start();
      if (s.venue.unaffordable === undefined) return t.skip();
      const order = await s.broker.submit(intentOn(s.venue, { quantity: s.venue.unaffordable }));
      expect(order.status).toBe('rejected');
      expect(order.reason, 'a rejection says why').toMatch(/\S/);
    });

    it('reports a partial fill, and cancels what is left of the order', async (t) => {
      const s = await start();
      if (s.venue.fillPartially === undefined) return t.skip();
      const intent = intentOn(s.venue, { type: 'limit', limitPrice: s.venue.price * 0.9 });
      await s.broker.submit(intent);
      await s.venue.fillPartially(intent.id, intent.quantity / 2);
      const fills = await s.pass(undefined, 2);
      expect(sum(fills, intent.id)).toBeGreaterThanOrEqual((intent.quantity / 2) * IN_KIND);
      expect(sum(fills, intent.id)).toBeLessThanOrEqual(intent.quantity / 2 + TOLERANCE);
      const cancelled = await s.broker.cancel(intent.id);
      expect(cancelled?.status).toBe('cancelled');
      expect(cancelled?.filledQuantity).toBeCloseTo(intent.quantity / 2, 9);
    });

    it('finds an order whose answer was lost by its id, and never places it twice', async (t) => {
      const s = await start();
      if (s.venue.loseNextAnswer === undefined || s.venue.ordersWithId === undefined) return t.skip();
      const intent = intentOn(s.venue, { type: 'limit', limitPrice: s.venue.price * 0.9 });
      s.venue.loseNextAnswer();
      const order = await s.broker.submit(intent);
      expect(order.id).toBe(intent.id);
      expect(order.status, `the order is at the venue; the broker said: ${order.reason ?? ''}`).not.toBe('rejected');
      expect(s.venue.ordersWithId(intent.id)).toBe(1);
    });

    it('says when the venue goes away and when it is back, and reports nothing twice after', async (t) => {
      const s = await start();
      if (s.venue.disconnect === undefined || s.venue.reconnect === undefined) return t.skip();
      const intent = intentOn(s.venue, {});
      await s.broker.submit(intent);
      const before = await s.pass(undefined, 2);
      s.venue.disconnect();
      await s.pass();
      expect(s.ctx.connection.at(-1), 'reportConnection(\'down\') while the venue is unreachable').toBe('down');
      s.venue.reconnect();
      const after = await s.pass(undefined, 2);
      expect(s.ctx.connection.at(-1), 'reportConnection(\'up\') once it answers again').toBe('up');
      expect(after.length, 'fills reported again after the reconnect').toBe(before.length);
    });
  });
}
