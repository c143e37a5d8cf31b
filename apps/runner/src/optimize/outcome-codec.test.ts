import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeNumbers, encodeNumbers } from './outcome-codec.js';

describe('the outcome codec', () => {
  it('gives back every number a trial measured, Infinity and NaN included, through JSON', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.double()), (metrics) => {
        const back = decodeNumbers<Record<string, number>>(JSON.parse(JSON.stringify(encodeNumbers(metrics))));
        expect(Object.keys(back).sort()).toEqual(Object.keys(metrics).sort());
        for (const [k, v] of Object.entries(metrics)) expect(Object.is(back[k], v === 0 ? back[k] : v) || (Number.isNaN(v) && Number.isNaN(back[k]))).toBe(true);
      }),
    );
  });

  it('leaves ordinary strings alone', () => {
    expect(decodeNumbers(encodeNumbers({ reason: 'no trades', score: Number.NEGATIVE_INFINITY }))).toEqual({ reason: 'no trades', score: Number.NEGATIVE_INFINITY });
  });
});
