import { describe, expect, it } from 'vitest';
import { MemoryGuard } from './memory-guard.js';

describe('the memory guard', () => {
  it('aborts once the heap in use, or the heap taken, passes its share of the limit, and says how much was in use', () => {
    const MB = 1_048_576;
    let heap = { used: 100, taken: 200 };
    const guard = () => new MemoryGuard({ used: 0.6, taken: 0.75 }, 60_000, () => ({ used: heap.used * MB, taken: heap.taken * MB, limit: 1_000 * MB }));
    const inUse = guard();
    inUse.check();
    expect(inUse.signal.aborted).toBe(false);
    heap = { used: 610, taken: 700 };
    inUse.check();
    expect(inUse.signal.aborted).toBe(true);
    expect(inUse.reason).toBe('the run was stopped because memory ran short: 610 MB of the 1000 MB heap in use (a plugin may be keeping everything it sees)');
    inUse.dispose();
    heap = { used: 500, taken: 760 };
    const taken = guard();
    taken.check();
    expect(taken.signal.aborted).toBe(true);
    taken.dispose();
  });
});
