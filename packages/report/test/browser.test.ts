import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../src/index.js';
import { sampleRun } from './sample-run.js';

const CHROMIUM = '/usr/bin/chromium';
let browser: Browser;
let dir: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (scripts/ensure-chromium.mjs does it as root)`);
  dir = mkdtempSync(join(tmpdir(), 'to-report-'));
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe('the report in headless Chromium', () => {
  it('renders both charts with visible lines, and the tables', async () => {
    const result = await sampleRun();
    const file = join(dir, 'report.html');
    writeFileSync(file, renderHtmlReport(result, { title: 'Browser check', details: ['synthetic'] }));
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await page.goto(pathToFileURL(file).href);
    const charts = await page.$$eval('svg.chart', (svgs) =>
      svgs.map((svg) => {
        const box = svg.getBoundingClientRect();
        const lines = [...svg.querySelectorAll('path.line')].map((p) => {
          const b = (p as SVGGraphicsElement).getBBox();
          return { length: (p as SVGPathElement).getTotalLength(), width: b.width, height: b.height };
        });
        return { label: svg.getAttribute('aria-label'), width: box.width, height: box.height, lines };
      }),
    );
    expect(charts.map((c) => c.label)).toEqual(['Equity', 'Drawdown']);
    for (const chart of charts) {
      expect(chart.width).toBeGreaterThan(800);
      expect(chart.height).toBeGreaterThan(200);
      expect(chart.lines).toHaveLength(4);
      for (const line of chart.lines) {
        expect(line.length).toBeGreaterThan(500);
        expect(line.width).toBeGreaterThan(800);
      }
    }
    // Each legend entry is drawn in its line's colour, whatever the page's stylesheet says about chart text.
    const legend = await page.$$eval('svg.chart', (svgs) =>
      svgs.map((svg) => ({
        labels: [...svg.querySelectorAll('text.legend')].map((t) => getComputedStyle(t).fill),
        lines: [...svg.querySelectorAll('path.line')].map((p) => getComputedStyle(p).stroke),
      })),
    );
    for (const chart of legend) {
      expect(chart.labels).toEqual(chart.lines);
      expect(new Set(chart.labels).size).toBe(chart.labels.length);
    }
    const rows = await page.$$eval('#trades tr', (trs) => trs.length - 1);
    expect(rows).toBe(result.strategies.reduce((n, s) => n + s.trades.length, 0));
    await page.screenshot({ path: join(dir, 'report.png'), fullPage: false });
    await page.close();
  }, 60_000);
});
