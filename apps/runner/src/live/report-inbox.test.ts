import type { Fill, Order } from '@trading-orchestrator/plugin-api';
import { describe, expect, it } from 'vitest';
import { ReportInbox } from './report-inbox.js';

describe('a live session\'s broker reports before it can book them', () => {
  it('holds them until the session is ready, hands them over in order, then passes later ones straight through', () => {
    const inbox = new ReportInbox();
    const seen: string[] = [];
    inbox.fill('broker', { tradeId: '1' } as Fill);
    inbox.connection('broker', 'down', 'socket closed');
    inbox.order('broker', { id: 'ma-1', status: 'filled' } as Order);
    expect(seen).toEqual([]);
    inbox.deliverTo('broker', {
      fill: (id, f) => seen.push(`${id} fill ${f.tradeId}`),
      order: (id, o) => seen.push(`${id} order ${o.id} ${o.status}`),
      connection: (id, state, detail) => seen.push(`${id} ${state} ${detail}`),
    });
    inbox.fill('broker', { tradeId: '2' } as Fill);
    expect(seen).toEqual(['broker fill 1', 'broker down socket closed', 'broker order ma-1 filled', 'broker fill 2']);
    inbox.close();
    inbox.fill('broker', { tradeId: '3' } as Fill);
    expect(seen).toHaveLength(4);
  });
});
