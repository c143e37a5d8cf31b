import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineStrategy } from '../define/define-plugin.js';
import { meetsCondition, parseCondition, searchSpaceSchema } from './search-space.js';

describe('search space conditions', () => {
  it('read a comparison of two settings or of a setting and a number', () => {
    expect(parseCondition('fast < slow')).toEqual({ text: 'fast < slow', left: 'fast', operator: '<', right: { param: 'slow' } });
    expect(parseCondition(' ma.k >= 0.5 ')).toEqual({ text: 'ma.k >= 0.5', left: 'ma.k', operator: '>=', right: { value: 0.5 } });
    expect(parseCondition('fast < slow < 3')).toBeUndefined();
    expect(parseCondition('fast')).toBeUndefined();
  });

  it('hold or not for given values; a missing setting fails them', () => {
    const c = parseCondition('fast < slow')!;
    expect(meetsCondition(c, { fast: 5, slow: 20 })).toBe(true);
    expect(meetsCondition(c, { fast: 20, slow: 20 })).toBe(false);
    expect(meetsCondition(c, { fast: 5 })).toBe(false);
    expect(meetsCondition(parseCondition('kind != ema')!, { kind: 'sma', ema: 'ema' })).toBe(true);
  });
});

describe('a declared search space', () => {
  it('travels with the definition', () => {
    const strategy = defineStrategy({
      configSchema: z.object({ fast: z.number().default(5), slow: z.number().default(20) }),
      searchSpace: { params: { fast: { type: 'int', min: 2, max: 10 }, slow: { type: 'int', min: 10, max: 50, step: 5 } }, conditions: ['fast < slow'] },
      init: () => ({ warmupBars: 0, onBar: () => undefined }),
    });
    expect(strategy.searchSpace?.params).toHaveProperty('fast');
  });

  it('is checked for its shape', () => {
    const result = searchSpaceSchema.safeParse({ params: { fast: { type: 'int', min: 2.5, max: 10 }, k: { type: 'choice', values: [] } } });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(expect.arrayContaining(['params.fast.min', 'params.k.values']));
  });
});
