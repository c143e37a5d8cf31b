import { describe, expect, it } from 'vitest';
import { nearestNames } from './nearest-names.js';

describe('nearestNames', () => {
  const known = ['ma-crossover', 'rsi-mean-reversion', 'bollinger-bands', 'risk-var', 'risk-guards', 'data-binance'];

  it('suggests the closest ids for a typo', () => {
    expect(nearestNames('ma-crosover', known)).toEqual(['ma-crossover']);
    expect(nearestNames('risk-vra', known)).toEqual(['risk-var']);
    expect(nearestNames('binance', known)).toEqual(['data-binance']);
  });

  it('suggests nothing for an unrelated name', () => {
    expect(nearestNames('zzzzzz', known)).toEqual([]);
  });
});
