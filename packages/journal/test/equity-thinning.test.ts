import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EquityThinner } from '../src/equity-thinning.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Hourly equity of one curve, with fills after some of the hours; what the thinner writes. */
function thin(equities: readonly number[], fillsAfter: ReadonlySet<number>, flushAt = equities.length): { time: number; equity: number }[] {
  const written: { time: number; equity: number }[] = [];
  const thinner = new EquityThinner(DAY, (time, _id, equity) => written.push({ time, equity }));
  equities.forEach((equity, i) => {
    thinner.add(i * HOUR, '', equity);
    if (fillsAfter.has(i)) thinner.bookChanged(undefined);
    if (i + 1 === flushAt) thinner.flush();
  });
  thinner.flush();
  return written;
}

const runs = fc.tuple(fc.array(fc.integer({ min: 90_000, max: 110_000 }), { minLength: 1, maxLength: 24 * 12 }), fc.array(fc.nat({ max: 24 * 12 }), { maxLength: 30 }));

describe('thinned equity curves', () => {
  it('keep, once each, the first and last point, each day\'s low, high and close, and the point after every fill', () => {
    fc.assert(
      fc.property(runs, ([equities, fills]) => {
        const fillsAfter = new Set(fills.filter((i) => i < equities.length));
        const written = thin(equities, fillsAfter);
        const times = written.map((p) => p.time);
        expect(times.length).toBe(new Set(times).size);
        // Every point written is the curve's own.
        for (const p of written) expect(p.equity).toBe(equities[p.time / HOUR]);
        const kept = new Set(times.map((t) => t / HOUR));
        expect(kept.has(0) && kept.has(equities.length - 1)).toBe(true);
        for (const i of fillsAfter) if (i + 1 < equities.length) expect(kept.has(i + 1)).toBe(true);
        for (let day = 0; day * 24 < equities.length; day++) {
          const hours = equities.slice(day * 24, day * 24 + 24);
          const values = hours.filter((_, h) => kept.has(day * 24 + h));
          // The day's range and close are there (from the points kept, whichever hour they came from).
          expect(values).toContain(Math.min(...hours));
          expect(values).toContain(Math.max(...hours));
          expect(kept.has(Math.min(equities.length, day * 24 + 24) - 1)).toBe(true);
        }
      }),
    );
  });

  it('writes at most three points a day and two a fill: a month of quiet minutes is about a hundred rows, not 43,200', () => {
    const minutes = Array.from({ length: 30 * 1440 }, (_, i) => 100_000 + Math.sin(i / 500) * 1_000);
    const written: number[] = [];
    const thinner = new EquityThinner(DAY, (time) => written.push(time));
    minutes.forEach((e, i) => thinner.add(i * 60_000, '', e));
    thinner.flush();
    expect(written.length).toBeLessThanOrEqual(1 + 30 * 3);
  });

  it('a flush (before a checkpoint) writes what is held back, and the curve goes on as before', () => {
    const equities = Array.from({ length: 72 }, (_, i) => 100 + ((i * 7) % 13));
    const flushed = thin(equities, new Set(), 30);
    const times = flushed.map((p) => p.time);
    expect(times.length).toBe(new Set(times).size);
    expect(times).toContain(29 * HOUR);
    expect(Math.max(...times)).toBe(71 * HOUR);
  });

  it('after a fill of one strategy, the next point of that strategy\'s curve and the account\'s is kept, not the others\'', () => {
    const written: string[] = [];
    const thinner = new EquityThinner(DAY, (time, id) => written.push(`${id}@${time / HOUR}`));
    const step = (h: number) => ['', 'ma', 'rsi'].forEach((id) => thinner.add(h * HOUR, id, 100));
    step(0);
    step(1);
    thinner.bookChanged('ma');
    step(2);
    step(3);
    expect(written).toEqual(['@0', 'ma@0', 'rsi@0', '@2', 'ma@2']);
  });

  it('keeps each curve on its own: the account and every strategy', () => {
    const written: string[] = [];
    const thinner = new EquityThinner(DAY, (time, id) => written.push(`${id}@${time / HOUR}`));
    for (let h = 0; h < 48; h++) {
      thinner.add(h * HOUR, '', 100 + h);
      thinner.add(h * HOUR, 'ma', 50 - h);
    }
    thinner.flush();
    // Each day's low, high and close of its own curve (after the first point, written as it came).
    expect(written.filter((w) => w.startsWith('ma@'))).toEqual(['ma@0', 'ma@23', 'ma@1', 'ma@47', 'ma@24']);
    expect(written.filter((w) => w.startsWith('@'))).toEqual(['@0', '@1', '@23', '@24', '@47']);
  });
});
