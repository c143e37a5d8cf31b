import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { downsample, renderHtmlReport } from '../src/index.js';
import { sampleRun } from './sample-run.js';

describe('HTML report', () => {
  it('is one self-contained page with two charts, the metrics, every trade and no script', async () => {
    const result = await sampleRun();
    const html = renderHtmlReport(result, { title: 'Sample <run>', details: ['ALPHA, BETA 1h'] });
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script|src=|href=/i);
    expect(html).toContain('<title>Sample &#60;run&#62;</title>');
    expect(html).toContain('ma&#60;script&#62;');
    expect(html.match(/<svg class="chart"/g)).toHaveLength(2);
    // Account, two strategies and buy and hold, in each chart; buy and hold dashed.
    expect(html.match(/<path class="line"/g)).toHaveLength(8);
    expect(html.match(/<path class="line" data-series="buy &#38; hold" [^>]*stroke-dasharray="6 4"/g)).toHaveLength(2);
    expect(html).toMatch(/<tr><th>buy &#38; hold<\/th>(<td>[^<]*<\/td>){8}<td>–<\/td><td>–<\/td><td>–<\/td><td>–<\/td><td>[^<]*<\/td><\/tr>/);
    expect(html).toContain(`The dashed line: ${result.benchmark.description.replace(/&/g, '&#38;').replace(/'/g, '&#39;')}.`);
    expect(result.benchmark.description).toContain('ALPHA, BETA in equal parts');
    const trades = result.strategies.reduce((n, s) => n + s.trades.length, 0);
    expect(trades).toBeGreaterThan(20);
    expect(html.match(/<tr class="(win|loss)( at-end)?">/g)).toHaveLength(trades);
    expect(html).toContain(`<h2>Trades (${trades})</h2>`);
  });

  it("says what closed each trade, and flags those the run's end closed", async () => {
    const result = await sampleRun();
    const html = renderHtmlReport(result, { title: 'Sample', details: [] });
    const atEnd = result.strategies.flatMap((s) => s.trades).filter((t) => t.exitReason === 'end-of-run').length;
    expect(atEnd).toBeGreaterThan(0);
    expect(html.match(/<tr class="(win|loss) at-end">/g)).toHaveLength(atEnd);
    expect(html).toContain("closed at its close to be counted (marked <em>closed by the run's end</em>)");
    expect(html).toMatch(/<td>take-profit<\/td><\/tr>/);
    expect(html).toContain('<table id="ignored">');
  });

  it('a run with more trades than it kept says how many there were and that the journal has them all', async () => {
    const result = await sampleRun();
    const total = result.strategies.reduce((n, s) => n + s.tradeCount, 0);
    const trimmed = { ...result, strategies: result.strategies.map((s) => ({ ...s, trades: s.trades.slice(-2) })) };
    const html = renderHtmlReport(trimmed, { title: 'Sample', details: [] });
    const listed = trimmed.strategies.filter((s) => !s.shadow).reduce((n, s) => n + s.trades.length, 0);
    expect(html.match(/<tr class="(win|loss)( at-end)?">/g)).toHaveLength(listed);
    expect(html).toContain(`<h2>Trades (${total}, the latest ${listed} listed; the journal has them all)</h2>`);
  });

  it('downsampling keeps the first, the last, the highest and the lowest point', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 3, maxLength: 5_000 }), fc.integer({ min: 10, max: 500 }), (values, max) => {
        const points = values.map((value, time) => ({ time, value }));
        const out = downsample(points, max);
        const vs = out.map((p) => p.value);
        return out.length <= Math.max(max, 0) + 2 && out[0] === points[0] && out.at(-1) === points.at(-1) && vs.includes(Math.max(...values)) && vs.includes(Math.min(...values)) && out.every((p, i) => i === 0 || p.time > out[i - 1]!.time);
      }),
    );
  });
});
