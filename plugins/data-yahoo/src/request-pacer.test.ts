import { describe, expect, it } from 'vitest';
import { RequestPacer } from './request-pacer.js';

describe('RequestPacer', () => {
  it('gives callers turns intervalMs apart, in the order they asked, whoever they are', async () => {
    let now = 1_000;
    const waits: number[] = [];
    const pacer = new RequestPacer(150, () => now, async (ms) => void waits.push(ms));
    await Promise.all([pacer.turn(), pacer.turn(), pacer.turn()]);
    expect(waits).toEqual([150, 300]);
    // Time passes beyond the last slot: the next caller goes at once.
    now = 2_000;
    await pacer.turn();
    expect(waits).toEqual([150, 300]);
    now = 2_100;
    await pacer.turn();
    expect(waits).toEqual([150, 300, 50]);
  });
});
