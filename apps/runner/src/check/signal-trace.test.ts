import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signalDifferences, STRENGTH_TOLERANCE, type TracedSignal } from './signal-trace.js';

const signal = fc.record({ time: fc.integer({ min: 0, max: 20 }), symbol: fc.constantFrom('SPY', 'BTC'), side: fc.constantFrom('buy', 'sell', 'exit'), strength: fc.double({ min: 0, max: 1, noNaN: true }) });

describe('signal differences between two runs', () => {
  it('are empty for the same signals in any order', () => {
    fc.assert(fc.property(fc.array(signal), (a) => {
      const { onlyA, onlyB } = signalDifferences(a, [...a].reverse());
      return onlyA.length === 0 && onlyB.length === 0;
    }));
  });

  it('name exactly what one run has and the other lacks', () => {
    fc.assert(fc.property(fc.array(signal), fc.array(signal), (a, extra) => {
      const { onlyA, onlyB } = signalDifferences([...a, ...extra], a);
      return onlyA.length === extra.length && onlyB.length === 0;
    }));
  });

  it('take strengths within the tolerance as the same signal, and beyond it as a different one', () => {
    const s: TracedSignal = { time: 1, symbol: 'SPY', side: 'buy', strength: 0.5 };
    expect(signalDifferences([s], [{ ...s, strength: 0.5 + STRENGTH_TOLERANCE / 2 }])).toEqual({ onlyA: [], onlyB: [] });
    expect(signalDifferences([s], [{ ...s, strength: 0.6 }])).toEqual({ onlyA: [s], onlyB: [{ ...s, strength: 0.6 }] });
  });
});
