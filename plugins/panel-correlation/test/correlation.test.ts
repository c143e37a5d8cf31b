import { describe, expect, it } from 'vitest';
import { correlationMatrix, heatColour } from '../src/correlation.js';

const limits: never[] = [];

describe('correlationMatrix', () => {
  it('builds a symmetric matrix from risk-var\'s pairwise figures, with 1 on the diagonal', () => {
    const matrix = correlationMatrix([
      { pluginId: 'risk-guards', figures: { time: 0, limits } },
      { pluginId: 'risk-var', figures: { time: 0, limits, values: { historicalVar: 120, 'correlation:BTC/USDT:ETH/USDT': 0.82, 'correlation:BTC/USDT:SOL/USDT': 0.4, 'correlation:ETH/USDT:SOL/USDT': -0.1 } } },
    ]);
    expect(matrix).toEqual({
      source: 'risk-var',
      symbols: ['BTC/USDT', 'ETH/USDT', 'SOL/USDT'],
      cells: [
        [1, 0.82, 0.4],
        [0.82, 1, -0.1],
        [0.4, -0.1, 1],
      ],
    });
  });

  it('is undefined when no plugin reports a correlation (one symbol held, or no risk-var)', () => {
    expect(correlationMatrix([{ pluginId: 'risk-var', figures: { time: 0, limits, values: { insufficientHistory: 1 } } }])).toBeUndefined();
    expect(correlationMatrix([{ pluginId: 'risk-var', note: 'its figures failed: boom' }])).toBeUndefined();
    expect(correlationMatrix([])).toBeUndefined();
  });

  it('leaves a pair it was not told as unknown rather than guessing', () => {
    const matrix = correlationMatrix([{ pluginId: 'risk-var', figures: { time: 0, limits, values: { 'correlation:A:B': 0.5, 'correlation:B:C': 0.2, 'correlation:A:C': Number.NaN } } }])!;
    expect(matrix.cells[0]![2]).toBeNaN();
  });
});

describe('heatColour', () => {
  it('is red for +1, blue for -1, dark for 0 and grey for unknown', () => {
    expect(heatColour(1)).toBe('rgb(240,40,45)');
    expect(heatColour(-1)).toBe('rgb(40,45,240)');
    expect(heatColour(0)).toBe('rgb(40,40,45)');
    expect(heatColour(Number.NaN)).toBe('rgb(60,60,60)');
    expect(heatColour(3)).toBe(heatColour(1));
  });
});
