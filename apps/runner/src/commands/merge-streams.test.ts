import { describe, expect, it } from 'vitest';
import { mergeStreams } from './merge-streams.js';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function* timed(items: readonly [number, string][]) {
  for (const [ms, item] of items) {
    await wait(ms);
    yield item;
  }
}

describe('mergeStreams', () => {
  it('yields items in the order they arrive across streams, and ends when all have', async () => {
    const out: string[] = [];
    for await (const item of mergeStreams([timed([[5, 'a1'], [40, 'a2']]), timed([[20, 'b1']])])) out.push(item);
    expect(out).toEqual(['a1', 'b1', 'a2']);
  });

  it('fails when one stream fails', async () => {
    async function* failing() {
      await wait(5);
      throw new Error('feed lost');
    }
    const read = async () => {
      for await (const _ of mergeStreams([timed([[50, 'x']]), failing()])) void _;
    };
    await expect(read()).rejects.toThrow('feed lost');
  });
});
