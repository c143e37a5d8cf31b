import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { hasErrorCode } from '../errors/plugin-error.js';
import type { ConfigSchema } from './config-schema.js';
import { configJsonSchema } from './config-json-schema.js';
import { parseConfig, validateConfig } from './validate-config.js';

const schema = z.object({
  period: z.number().int().min(2).default(14),
  thresholds: z.object({ overbought: z.number().max(100), oversold: z.number().min(0) }),
  symbols: z.array(z.string().min(1)).optional(),
});

describe('validateConfig', () => {
  it('returns the parsed value with defaults applied', async () => {
    const result = await validateConfig(schema, { thresholds: { overbought: 70, oversold: 30 } });
    expect(result).toEqual({ ok: true, value: { period: 14, thresholds: { overbought: 70, oversold: 30 } } });
  });

  it('reports every bad field by its path under the given prefix', async () => {
    const result = await validateConfig(
      schema,
      { period: 1.5, thresholds: { overbought: 170, oversold: -1 }, symbols: ['BTC/USDT', ''] },
      { pathPrefix: 'strategies[0].config' },
    );
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problems.map((p) => p.path)).toEqual([
        'strategies[0].config.period',
        'strategies[0].config.thresholds.overbought',
        'strategies[0].config.thresholds.oversold',
        'strategies[0].config.symbols[1]',
      ]);
    }
  });

  it('turns a schema that throws into a problem instead of a crash', async () => {
    const throwing: ConfigSchema = {
      '~standard': { version: 1, vendor: 'test', validate: () => { throw new Error('boom'); } },
    };
    const result = await validateConfig(throwing, {});
    expect(result).toEqual({ ok: false, problems: [{ path: '(root)', message: 'the config schema threw: boom', severity: 'error' }] });
  });
});

describe('parseConfig', () => {
  it('throws a CONFIG_INVALID error naming the plugin and listing the problems', async () => {
    const error = await parseConfig(schema, { thresholds: {} }, { pluginId: 'rsi', pathPrefix: 'strategies[1].config' }).catch((e: unknown) => e);
    expect(hasErrorCode(error, 'CONFIG_INVALID')).toBe(true);
    if (hasErrorCode(error, 'CONFIG_INVALID')) {
      expect(error.message).toBe('config for plugin "rsi" is invalid (2 problems)');
      expect(error.path).toBe('strategies[1].config');
      expect(error.describe()).toContain('strategies[1].config.thresholds.overbought');
      expect(error.hint).toMatch(/plugins info <id>/);
    }
  });

  it('infers the config type from the schema', async () => {
    const value = await parseConfig(schema, { thresholds: { overbought: 70, oversold: 30 } });
    expectTypeOf(value.period).toEqualTypeOf<number>();
    expectTypeOf(value.symbols).toEqualTypeOf<string[] | undefined>();
  });
});

describe('configJsonSchema', () => {
  it('exports what a user may write, defaults included, through Standard JSON Schema', () => {
    const json = configJsonSchema(schema) as { properties: { period: { default: number; minimum: number } }; required: string[] };
    expect(json.properties.period).toMatchObject({ type: 'integer', default: 14, minimum: 2 });
    expect(json.required).toEqual(['thresholds']);
  });

  it('returns undefined for validators without JSON Schema support', () => {
    const plain: ConfigSchema = { '~standard': { version: 1, vendor: 'test', validate: (v) => ({ value: v }) } };
    expect(configJsonSchema(plain)).toBeUndefined();
  });
});
