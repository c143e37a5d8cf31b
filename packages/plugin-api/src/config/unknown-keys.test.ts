import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { configJsonSchema } from './config-json-schema.js';
import { unknownKeys } from './unknown-keys.js';
import { validateConfig } from './validate-config.js';

const unknownIn = (schema: z.ZodType, input: unknown) => unknownKeys(configJsonSchema(schema)!, input).map((p) => `${p.path}: ${p.message}`);

describe('unknownKeys', () => {
  it('names a misspelt setting at its path, with the declared name it is nearest to', () => {
    const schema = z.object({ maxVarPct: z.number().default(0.02), limits: z.object({ daily: z.number().default(1) }).prefault({}) });
    expect(unknownIn(schema, { maxvarpct: 0.05, limits: { dayly: 2 } })).toEqual([
      'maxvarpct: unknown setting "maxvarpct" (did you mean "maxVarPct"?)',
      'limits.dayly: unknown setting "dayly" (did you mean "daily"?)',
    ]);
  });

  it('lists what can be set when nothing is near', () => {
    expect(unknownIn(z.object({ fast: z.number(), slow: z.number() }), { fast: 1, slow: 2, colour: 'red' })).toEqual([
      'colour: unknown setting "colour" (the settings here are fast, slow)',
    ]);
  });

  it('looks into arrays of objects', () => {
    const schema = z.object({ files: z.array(z.object({ path: z.string(), symbol: z.string() })) });
    expect(unknownIn(schema, { files: [{ path: 'a.csv', symbol: 'A' }, { path: 'b.csv', symbl: 'B' }] })).toEqual([
      'files[1].symbl: unknown setting "symbl" (did you mean "symbol"?)',
    ]);
  });

  it('leaves open maps open: records, loose objects', () => {
    const schema = z.object({ fees: z.record(z.string(), z.number()), extra: z.looseObject({ a: z.number() }) });
    expect(unknownIn(schema, { fees: { 'BTC/USDT': 5, anything: 1 }, extra: { a: 1, b: 2 } })).toEqual([]);
  });

  it('checks the values of a record of objects', () => {
    const schema = z.object({ groups: z.record(z.string(), z.object({ max: z.number() })) });
    expect(unknownIn(schema, { groups: { majors: { max: 1, mx: 2 } } })).toEqual(['groups.majors.mx: unknown setting "mx" (did you mean "max"?)']);
  });

  it('knows every member of a union of objects, and picks a discriminated member by its constant', () => {
    const slippage = z.object({ slippage: z.union([z.object({ bps: z.number() }), z.object({ rangeShare: z.number() })]) });
    expect(unknownIn(slippage, { slippage: { rangeShare: 0.1 } })).toEqual([]);
    expect(unknownIn(slippage, { slippage: { bsp: 2 } })).toEqual(['slippage.bsp: unknown setting "bsp" (did you mean "bps"?)']);

    const sizing = z
      .discriminatedUnion('method', [z.object({ method: z.literal('fixed-quantity'), quantity: z.number() }), z.object({ method: z.literal('fixed-fraction'), fraction: z.number() })])
      .and(z.object({ maxPositionFraction: z.number().default(1) }));
    expect(unknownIn(z.object({ sizing }), { sizing: { method: 'fixed-fraction', fraction: 0.5, maxPositionFraction: 1 } })).toEqual([]);
    // `quantity` belongs to the other method: with fixed-fraction it would be ignored.
    expect(unknownIn(z.object({ sizing }), { sizing: { method: 'fixed-fraction', fraction: 0.5, quantity: 3 } })).toEqual([
      'sizing.quantity: unknown setting "quantity" (the settings here are maxPositionFraction, method, fraction)',
    ]);
  });

  it('follows references to shared definitions', () => {
    const leg = z.object({ price: z.number() });
    const schema = z.object({ entry: leg, exit: leg });
    const json = z.toJSONSchema(schema, { io: 'input', reused: 'ref' }) as Record<string, unknown>;
    expect(JSON.stringify(json)).toContain('$ref');
    expect(unknownKeys(json, { entry: { price: 1 }, exit: { prize: 2 } }).map((p) => p.path)).toEqual(['exit.prize']);
  });

  it('says nothing of values it has no object shape for', () => {
    expect(unknownKeys({}, { anything: { at: 'all' } })).toEqual([]);
    expect(unknownKeys({ type: 'object' }, { a: 1 })).toEqual([]);
  });
});

describe('validateConfig and unknown keys', () => {
  const schema = z.object({ period: z.number().int().default(14), oversold: z.number().default(30) });

  it('fails a config with a setting the schema does not declare, under the path prefix', async () => {
    const result = await validateConfig(schema, { period: 10, oversld: 25 }, { pathPrefix: 'strategies[1].config' });
    expect(result).toEqual({
      ok: false,
      problems: [{ path: 'strategies[1].config.oversld', message: 'unknown setting "oversld" (did you mean "oversold"?)', severity: 'error' }],
    });
  });

  it('reports unknown keys together with the schema\'s own problems', async () => {
    const result = await validateConfig(schema, { period: 1.5, colour: 'red' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((p) => p.path)).toEqual(['period', 'colour']);
  });

  it('still validates with a schema that offers no JSON Schema', async () => {
    const dated = z.object({ from: z.date() });
    const result = await validateConfig(dated, { from: new Date(0), extra: 1 });
    expect(result.ok).toBe(true);
  });
});
