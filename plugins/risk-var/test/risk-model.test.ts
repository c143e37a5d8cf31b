import { describe, expect, it } from 'vitest';
import { RiskModel } from '../src/risk-model.js';

const options = { confidence: 0.95, horizonBars: 1, window: 50, minHistory: 10 };
const closes = Array.from({ length: 61 }, (_, t) => 100 * 1.003 ** t * (t % 3 === 0 ? 0.99 : 1));
const fed = (count: number) => {
  const m = new RiskModel(options);
  for (let t = 0; t < count; t++) m.addClose('BTC', t, closes[t]!);
  return m;
};

describe('risk model', () => {
  const model = fed(60);

  it('asked the same between two closes, it answers from its last estimate; a new close or another book is estimated afresh', () => {
    const first = model.estimate(new Map([['BTC', 10_000]]));
    expect(model.estimate(new Map([['BTC', 10_000]]))).toBe(first);
    const other = model.estimate(new Map([['BTC', 20_000]]));
    expect(other).not.toBe(first);
    expect(first.ok && other.ok && other.risk.historical.valueAtRisk).toBeCloseTo(first.ok ? 2 * first.risk.historical.valueAtRisk : 0, 9);
    model.addClose('BTC', 60, closes[60]!);
    const later = model.estimate(new Map([['BTC', 10_000]]));
    expect(later).not.toBe(first);
    // The same as a model that never answered anything before.
    expect(later).toEqual(fed(61).estimate(new Map([['BTC', 10_000]])));
  });
});
