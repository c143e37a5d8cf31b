import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import type { Bar } from '../domain/bar.js';
import { isPluginDefinition } from '../plugin/definition.js';
import { PLUGIN_API_VERSION } from '../version.js';
import { defineBroker, defineDataProvider, defineIndicator, defineNotifier, defineRiskManager, defineStrategy } from './define-plugin.js';

const configSchema = z.object({ fast: z.number().int().default(10), slow: z.number().int().default(30) });

const strategy = defineStrategy({
  configSchema,
  init(ctx) {
    expectTypeOf(ctx.config).toEqualTypeOf<{ fast: number; slow: number }>();
    const lastClose = new Map<string, number>();
    return {
      warmupBars: ctx.config.slow,
      onBar(bar: Bar) {
        const previous = lastClose.get(bar.symbol);
        lastClose.set(bar.symbol, bar.close);
        if (previous === undefined || bar.close <= previous) return undefined;
        return { symbol: bar.symbol, side: 'buy', strength: 0.5, reason: 'close rose' };
      },
    };
  },
});

describe('define helpers', () => {
  it('stamp the kind and the plugin-API version the plugin was built against', () => {
    expect(strategy.kind).toBe('strategy');
    expect(strategy.apiVersion).toBe(PLUGIN_API_VERSION);
    expect(Object.isFrozen(strategy)).toBe(true);
  });

  it('produce a working instance from init', async () => {
    const controller = new AbortController();
    const logger = { debug() {}, info() {}, warn() {}, error() {} };
    const instance = await strategy.init({
      pluginId: 'demo',
      config: { fast: 5, slow: 20 },
      logger,
      clock: { now: () => 0 },
      signal: controller.signal,
      subscribe: () => () => undefined,
    });
    expect(instance.warmupBars).toBe(20);
    const bar = (close: number): Bar => ({ symbol: 'SPY', timeframe: '1d', time: 0, open: close, high: close, low: close, close, volume: 1 });
    expect(instance.onBar(bar(10))).toBeUndefined();
    expect(instance.onBar(bar(11))).toMatchObject({ side: 'buy', symbol: 'SPY' });
  });

  it('exist for every kind', () => {
    const schema = z.object({});
    const kinds = [
      defineDataProvider({ configSchema: schema, init: () => ({ async *historicalBars() {} }) }),
      defineRiskManager({ configSchema: schema, init: () => ({ checkOrder: () => ({ action: 'allow' as const }) }) }),
      defineIndicator({ configSchema: schema, init: () => ({ outputs: ['value'], warmupBars: 1, update: () => false }) }),
      defineBroker({ configSchema: schema, init: () => ({ submit: () => { throw new Error('unused'); }, cancel: () => undefined }) }),
      defineNotifier({ configSchema: schema, init: () => ({ notify: () => undefined }) }),
    ].map((d) => d.kind);
    expect(kinds).toEqual(['data', 'risk', 'indicator', 'broker', 'notifier']);
  });
});

describe('isPluginDefinition', () => {
  it('recognises a definition by its shape, so a copy made by another plugin-api works', () => {
    const foreignCopy = { ...strategy };
    expect(isPluginDefinition(foreignCopy)).toBe(true);
  });

  it('rejects look-alikes', () => {
    expect(isPluginDefinition(null)).toBe(false);
    expect(isPluginDefinition({ ...strategy, kind: 'ui' })).toBe(false);
    expect(isPluginDefinition({ ...strategy, configSchema: { parse() {} } })).toBe(false);
    expect(isPluginDefinition({ ...strategy, init: 'yes' })).toBe(false);
    expect(isPluginDefinition({ kind: 'strategy', configSchema, init() {} })).toBe(false);
  });
});
