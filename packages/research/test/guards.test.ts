import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backtestOverfitting, deflatedSharpe, expectedMaxSharpe, normalCdf, normalQuantile, probabilisticSharpe, returnMoments, SeededRandom } from '../src/index.js';

describe('the normal distribution', () => {
  it('matches tabled values', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 12);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 7);
    expect(normalCdf(-3)).toBeCloseTo(0.0013498980316301, 8);
    expect(normalQuantile(0.99)).toBeCloseTo(2.3263478740408408, 6);
    expect(normalQuantile(0.025)).toBeCloseTo(-1.959963984540054, 6);
  });

  it('inverts its CDF', () => {
    fc.assert(fc.property(fc.double({ min: -6, max: 6, noNaN: true }), (x) => Math.abs(normalQuantile(normalCdf(x)) - x) < 1e-5));
  });
});

describe('the deflated Sharpe ratio', () => {
  // Bailey and López de Prado (2014), "The Deflated Sharpe Ratio", section 5's numerical example: 100 trials whose
  // annualised Sharpe ratios vary by 1/2, the best at 2.5 annualised over 1,250 daily returns with skewness −3 and
  // kurtosis 10. The paper gives SR0 = 0.1132 (per day) and DSR = 0.9004.
  const perDay = (annual: number) => annual / Math.sqrt(250);
  const example = { sharpe: perDay(2.5), observations: 1250, skewness: -3, kurtosis: 10, trials: 100, sharpeVariance: 0.5 / 250 };

  it('reproduces the paper\'s example', () => {
    const result = deflatedSharpe(example);
    expect(result.expectedMaxSharpe).toBeCloseTo(0.1132, 4);
    expect(result.probability).toBeCloseTo(0.9004, 3);
  });

  it('is the probabilistic Sharpe ratio against zero with one trial', () => {
    expect(expectedMaxSharpe(1, 0.01)).toBe(0);
    expect(deflatedSharpe({ ...example, trials: 1 }).probability).toBeCloseTo(probabilisticSharpe(example.sharpe, 0, 1250, -3, 10), 12);
  });

  it('falls as more trials are made', () => {
    const values = [2, 10, 100, 1000].map((trials) => deflatedSharpe({ ...example, trials }).probability);
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeLessThan(values[i - 1]!);
  });

  it('takes moments the way the paper defines them', () => {
    const m = returnMoments([0.01, -0.02, 0.03, 0.0, 0.015]);
    expect(m.mean).toBeCloseTo(0.007, 12);
    expect(m.std).toBeCloseTo(Math.sqrt((0.003 ** 2 + 0.027 ** 2 + 0.023 ** 2 + 0.007 ** 2 + 0.008 ** 2) / 4), 12);
    expect(returnMoments([1, 1, 1]).kurtosis).toBe(3);
  });
});

describe('the probability of backtest overfitting (CSCV)', () => {
  // Three trials over four periods in two blocks, so two splits; Sharpe ratios of two returns (a, b) are
  // mean / (|a − b| / √2). Worked by hand:
  // A = [.02 .04 | −.01 −.03]: 2.12 | −1.41; B = [.01 .03 | .01 .02]: 1.41 | 2.12; C = [−.01 .00 | .03 .05]: −0.71 | 2.83.
  // Split 1 (in-sample block 1): A is best (2.12) and ranks last out of sample (−1.41 below 2.12 and 2.83): ω = 1/4.
  // Split 2 (in-sample block 2): C is best (2.83) and ranks last out of sample (−0.71): ω = 1/4. PBO = 1.
  it('is 1 when the in-sample winner always fails', () => {
    const result = backtestOverfitting(
      [
        [0.02, 0.04, -0.01, -0.03],
        [0.01, 0.03, 0.01, 0.02],
        [-0.01, 0.0, 0.03, 0.05],
      ],
      { partitions: 2 },
    )!;
    expect(result.splits).toBe(2);
    expect(result.probability).toBe(1);
    for (const l of result.logits) expect(l).toBeCloseTo(Math.log(1 / 3), 12);
  });

  // C's first block made [.04 .06] (Sharpe 3.54): C wins in sample in both splits and ranks first out of sample
  // in both (2.83 above 2.12 and −1.41; 3.54 above 2.12 and 1.41): ω = 3/4 twice, PBO = 0.
  it('is 0 when the in-sample winner always wins out of sample', () => {
    const result = backtestOverfitting(
      [
        [0.02, 0.04, -0.01, -0.03],
        [0.01, 0.03, 0.01, 0.02],
        [0.04, 0.06, 0.03, 0.05],
      ],
      { partitions: 2 },
    )!;
    expect(result.probability).toBe(0);
    for (const l of result.logits) expect(l).toBeCloseTo(Math.log(3), 12);
  });

  it('is near one half for trials that are pure noise', () => {
    const random = new SeededRandom(7);
    const trials = Array.from({ length: 40 }, () => Array.from({ length: 480 }, () => 0.01 * random.normal()));
    const result = backtestOverfitting(trials)!;
    expect(result.partitions).toBe(16);
    expect(result.splits).toBe(12870);
    expect(result.probability).toBeGreaterThan(0.3);
    expect(result.probability).toBeLessThan(0.7);
  });

  it('is low for one trial with real skill among noise', () => {
    const random = new SeededRandom(11);
    const trials = Array.from({ length: 20 }, (_, n) => Array.from({ length: 320 }, () => 0.01 * random.normal() + (n === 0 ? 0.004 : 0)));
    expect(backtestOverfitting(trials)!.probability).toBeLessThan(0.1);
  });

  it('needs two trials and four periods; partitions must be even', () => {
    expect(backtestOverfitting([[0.1, 0.2, 0.3, 0.4]])).toBeUndefined();
    expect(backtestOverfitting([[0.1, 0.2, 0.3], [0.1, 0.2, 0.3]])).toBeUndefined();
    expect(() => backtestOverfitting([[0, 0, 0, 0], [0, 0, 0, 0]], { partitions: 3 })).toThrow(/even/);
  });
});
