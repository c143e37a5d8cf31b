import type { Fill } from '@trading-orchestrator/plugin-api';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FillCursor } from './fill-cursor.js';

const HOUR = 3_600_000;
const fill = (tradeId: string, time: number): Fill => ({ orderId: 'ma-1', symbol: 'BTC/USDT', side: 'buy', quantity: 0.01, price: 100, fee: 0, time, tradeId });

describe('the venue trades a live session booked', () => {
  it('takes each trade once, however often and in whatever order the venue repeats it (within the hour it may lag)', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ id: fc.integer({ min: 0, max: 40 }), lag: fc.integer({ min: 0, max: 30 * 60_000 }) }), { maxLength: 200 }), (reports) => {
        const cursor = new FillCursor(0);
        const taken = new Map<string, number>();
        for (const r of reports) {
          // A trade's time is fixed by its id: repeats carry the same time, reordered by their lag.
          if (cursor.take(fill(String(r.id), r.id * 60_000))) taken.set(String(r.id), (taken.get(String(r.id)) ?? 0) + 1);
        }
        expect([...taken.values()].every((n) => n === 1)).toBe(true);
        expect(taken.size).toBe(new Set(reports.map((r) => r.id)).size);
      }),
    );
  });

  it('survives a checkpoint: a restarted session asks from its cursor and books only what it had not', () => {
    const before = new FillCursor(1_000);
    before.take(fill('a', 2_000));
    before.take(fill('b', 3_000));
    const after = new FillCursor(JSON.parse(JSON.stringify(before.state())));
    expect(after.from).toBe(1_000);
    expect([fill('a', 2_000), fill('b', 3_000), fill('c', 4_000)].filter((f) => after.take(f)).map((f) => f.tradeId)).toEqual(['c']);
  });

  it('stays bounded: ids of trades an hour older than the newest are let go and the cursor moves up to there', () => {
    const cursor = new FillCursor(0);
    for (let i = 0; i < 10_000; i++) cursor.take(fill(String(i), i * 60_000));
    const state = cursor.state();
    expect(state.since).toBe(9_999 * 60_000 - HOUR);
    expect(state.booked.length).toBe(61);
  });
});
