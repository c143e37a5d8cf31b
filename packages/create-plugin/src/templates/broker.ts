import type { KindTemplate } from './kind-template.js';

export const brokerTemplate: KindTemplate = {
  source: `import { defineBroker, type Bar, type Fill, type Order, type OrderIntent } from '@trading-orchestrator/plugin-api';
import { z } from 'zod';

export const config = z.object({
  /** Commission per fill, in basis points of its value. */
  feeBps: z.number().min(0).max(1_000).default(10),
});

/**
 * A broker that fills market orders at the next bar's open and limit orders when a bar reaches their limit: a
 * simulated venue to start from. A broker for a real venue keeps the same shape: send \`intent.id\` as the venue's
 * client order id (a submit whose answer is lost is looked up by it, never sent twice), report the venue's fills
 * with \`ctx.reportFill\` and their \`tradeId\`, and implement \`openOrders\`, \`orderStatus\` and \`fillsSince\` so a live
 * session can reconcile with it.
 */
export default defineBroker({
  configSchema: config,
  init(ctx) {
    const { feeBps } = ctx.config;
    const working = new Map<string, Order>();
    let trades = 0;
    const fillOf = (order: Order, price: number, time: number): Fill => ({
      orderId: order.id,
      symbol: order.symbol,
      side: order.side,
      quantity: order.quantity,
      price,
      fee: (price * order.quantity * feeBps) / 10_000,
      time,
      liquidity: order.type === 'limit' ? 'maker' : 'taker',
      tradeId: String(++trades),
    });
    return {
      submit(intent: OrderIntent): Order {
        // The same id again is the same order: never a second one.
        const known = working.get(intent.id);
        if (known !== undefined) return known;
        const order: Order = { ...intent, status: 'accepted', filledQuantity: 0, averageFillPrice: Number.NaN, updatedAt: intent.time };
        working.set(intent.id, order);
        return order;
      },
      cancel(orderId: string): Order | undefined {
        const order = working.get(orderId);
        if (order === undefined) return undefined;
        working.delete(orderId);
        return { ...order, status: 'cancelled', updatedAt: ctx.clock.now() };
      },
      onBar(bar: Bar): Fill[] {
        const fills: Fill[] = [];
        for (const order of working.values()) {
          if (order.symbol !== bar.symbol || order.time >= bar.time) continue;
          const limit = order.limitPrice;
          const reached = limit === undefined || (order.side === 'buy' ? bar.low <= limit : bar.high >= limit);
          if (!reached) continue;
          fills.push(fillOf(order, limit === undefined ? bar.open : order.side === 'buy' ? Math.min(limit, bar.open) : Math.max(limit, bar.open), bar.time));
          working.delete(order.id);
        }
        return fills;
      },
      estimateFill: (_symbol, _side, quantity, price) => ({ price, fee: (price * quantity * feeBps) / 10_000 }),
    };
  },
});
`,
  test: `import { barVenue, describeBrokerConformance } from '@trading-orchestrator/plugin-testkit';
import plugin from '../src/index.js';

// A broker for a real venue gives the suite a venue of its own instead: a local fake of the venue's API that can
// fill part of an order, lose an answer and drop the connection (see ConformanceVenue).
describeBrokerConformance('__ID__', {
  definition: plugin,
  packageJson: new URL('../package.json', import.meta.url),
  validConfig: {},
  invalidConfigs: [{ config: { feeBps: -1 }, paths: ['feeBps'] }],
  venue: barVenue({ config: { feeBps: 10 } }),
});
`,
  configDoc: '| `feeBps` | 10 | commission per fill, in basis points of its value |',
};
