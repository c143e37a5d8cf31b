import { fileURLToPath } from 'node:url';
import { dirname } from 'node:path';
import type { Bar, OrderIntent, PluginKind, PortfolioSnapshot } from '@trading-orchestrator/plugin-api';
import type { LoadablePlugin, PluginSpec } from '../src/index.js';

const fixtureDir = dirname(fileURLToPath(new URL('./fixtures/configurable-strategy.mjs', import.meta.url)));

export function fixture(file: string, kind: PluginKind, id: string, extra: Partial<LoadablePlugin['manifest'] & object> = {}, version = '1.0.0'): LoadablePlugin {
  return {
    id,
    kind,
    version,
    packageName: `fixture-${id}`,
    packageDir: fixtureDir,
    manifest: { id, kind, api: '^1.0.0', entry: `./${file}`, ...extra },
  };
}

export const strategy = (instanceId: string, config: Record<string, unknown> = {}, onFailure: PluginSpec['onFailure'] = 'continue'): PluginSpec => ({
  plugin: fixture('configurable-strategy.mjs', 'strategy', 'configurable'),
  instanceId,
  config,
  onFailure,
  hookLimits: { init: { softMs: 20, hardMs: 60 }, start: { softMs: 20, hardMs: 60 }, stop: { softMs: 20, hardMs: 60 }, health: { softMs: 20, hardMs: 60 }, dispose: { softMs: 20, hardMs: 60 } },
});

export const risk = (instanceId: string, config: Record<string, unknown> = {}): PluginSpec => ({
  plugin: fixture('configurable-risk.mjs', 'risk', 'configurable-risk'),
  instanceId,
  config,
  onFailure: 'continue',
  hookLimits: { checkOrder: { softMs: 20, hardMs: 60 } },
});

export function fixtureCalls(): string[] {
  return ((globalThis as { __fixtureCalls?: string[] }).__fixtureCalls ??= []);
}

export function bar(close: number, time = 0, symbol = 'SPY'): Bar {
  return { symbol, timeframe: '1d', time, open: close - 1, high: close + 1, low: close - 2, close, volume: 100 };
}

export function intent(quantity = 10, symbol = 'SPY'): OrderIntent {
  return { id: `o-${quantity}`, symbol, side: 'buy', quantity, type: 'market', reduceOnly: false, strategyId: 's', time: 0, referencePrice: 100 };
}

export const emptyPortfolio: PortfolioSnapshot = {
  time: 0,
  currency: 'USD',
  cash: 100_000,
  equity: 100_000,
  positions: [],
  grossExposure: 0,
  netExposure: 0,
  realizedPnl: 0,
  unrealizedPnl: 0,
  feesPaid: 0,
};
