import { defineBroker, type BrokerPluginContext, type Fill, type Order, type PluginDefinition } from '@trading-orchestrator/plugin-api';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PluginManager } from '../src/index.js';

/** A venue broker that hands its context out, so the test can report as a venue's stream would. */
function venue(): { definition: PluginDefinition; context: () => BrokerPluginContext<unknown> } {
  let context: BrokerPluginContext<unknown> | undefined;
  const definition = defineBroker({
    configSchema: z.object({}),
    init: (ctx) => {
      context = ctx as BrokerPluginContext<unknown>;
      return { submit: (intent) => ({ ...intent, status: 'accepted', filledQuantity: 0, averageFillPrice: Number.NaN, updatedAt: 0 }) as Order, cancel: () => undefined };
    },
  }) as PluginDefinition;
  return { definition, context: () => context! };
}

const fill = (tradeId: string | undefined, quantity = 1): Fill => ({ orderId: 'o-1', symbol: 'BTC/USDT', side: 'buy', quantity, price: 100, fee: 0.1, time: 1, ...(tradeId === undefined ? {} : { tradeId }) });

async function start() {
  const { definition, context } = venue();
  const manager = new PluginManager({ log: () => {} });
  await manager.load([{ plugin: { id: 'venue', kind: 'broker', version: '1.0.0', packageName: 'venue', packageDir: '.', manifest: undefined, definition } }]);
  await manager.start();
  return { manager, context };
}

describe('what a broker reports on its own', () => {
  it('is booked once per trade id, whether it reaches the bus or the host that books it', async () => {
    const { manager, context } = await start();
    const onBus: Fill[] = [];
    manager.bus.subscribe('fill', (f) => onBus.push(f));
    context().reportFill(fill('t-1'));
    context().reportFill(fill('t-1'));
    expect(onBus.map((f) => f.tradeId)).toEqual(['t-1']);
    const booked: string[] = [];
    const connection: string[] = [];
    const off = manager.receiveBrokerReports({ fill: (id, f) => booked.push(`${id} ${f.tradeId}`), order: (id, o) => booked.push(`${id} order ${o.status}`), connection: (id, state, detail) => connection.push(`${id} ${state} ${detail}`) });
    context().reportFill(fill('t-1'));
    context().reportFill(fill('t-2'));
    context().reportFill(fill('t-2'));
    context().reportOrder({ id: 'o-1', status: 'expired' } as Order);
    context().reportConnection?.('down', 'private stream closed');
    expect(booked).toEqual(['venue t-2', 'venue order expired']);
    expect(connection).toEqual(['venue down private stream closed']);
    expect(onBus).toHaveLength(1);
    off();
    context().reportFill(fill('t-3'));
    expect(onBus.map((f) => f.tradeId)).toEqual(['t-1', 't-3']);
    await manager.shutdown();
  });

  it('refuses a fill that breaks the contract, counting it against the broker', async () => {
    const { manager, context } = await start();
    const onBus: Fill[] = [];
    manager.bus.subscribe('fill', (f) => onBus.push(f));
    context().reportFill(fill('t-9', Number.NaN));
    expect(onBus).toEqual([]);
    expect(manager.status().find((p) => p.id === 'venue')!.failures).toBe(1);
    await manager.shutdown();
  });
});
