import { defineStrategy, type Bar } from '@trading-orchestrator/plugin-api';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { badVariants, createTestContext, portfolioOf, positionOf, runStrategy, settledHeapUsed } from '../src/index.js';

const bar = (close: number, time: number): Bar => ({ symbol: 'X', timeframe: '1h', time, open: close, high: close + 1, low: close - 1, close, volume: 1 });

describe('test helpers', () => {
  it('createTestContext records logs and publications and has a settable clock', () => {
    const ctx = createTestContext({ a: 1 }, { pluginId: 'p', restoredState: { n: 2 } });
    ctx.logger.warn('careful', { why: 'test' });
    ctx.now = 42;
    ctx.raise({ level: 'info', code: 'X', message: 'm' });
    ctx.reportFill({ orderId: 'o', symbol: 'X', side: 'buy', quantity: 1, price: 1, fee: 0, time: 1 });
    expect(ctx.logs).toEqual([{ level: 'warn', message: 'careful', data: { why: 'test' } }]);
    expect(ctx.clock.now()).toBe(42);
    expect(ctx.raised).toEqual([{ level: 'info', code: 'X', message: 'm', time: 42 }]);
    expect(ctx.fills).toHaveLength(1);
    expect([ctx.pluginId, ctx.config, ctx.restoredState]).toEqual(['p', { a: 1 }, { n: 2 }]);
  });

  it('runStrategy collects signals with their bar and index, awaiting only promises', async () => {
    const def = defineStrategy({
      configSchema: z.object({}),
      init: () => ({
        warmupBars: 0,
        onBar: (b: Bar) => (b.time === 1 ? { symbol: 'X', side: 'buy', strength: 1 } : b.time === 2 ? Promise.resolve([{ symbol: 'X', side: 'exit', strength: 1 }]) : undefined),
      }),
    });
    const steps = await runStrategy(await def.init(createTestContext({})), [bar(1, 0), bar(2, 1), bar(3, 2)]);
    expect(steps.map((s) => [s.index, s.signals.map((x) => x.side)])).toEqual([[1, ['buy']], [2, ['exit']]]);
  });

  it('badVariants each break the bar contract in the field they name', async () => {
    const { checkBar } = await import('@trading-orchestrator/plugin-api');
    for (const v of badVariants(bar(100, 0))) expect(checkBar(v.bar), v.name).toContain(v.reasonMentions);
  });

  it('portfolioOf sums equity and exposures; settledHeapUsed measures after collection', () => {
    const p = portfolioOf([positionOf('A', 10, 100), positionOf('B', -5, 50)], 1_000);
    expect([p.equity, p.grossExposure, p.netExposure]).toEqual([1_750, 1_250, 750]);
    expect(settledHeapUsed()).toBeGreaterThan(1e6);
  });
});
