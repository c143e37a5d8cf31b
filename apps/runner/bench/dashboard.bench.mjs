// The dashboard under a live feed: time to first paint and to the session's first data, and each update's delay
// from the session publishing it to the page having drawn it, with bars arriving RATE a second (10 by default).
// Prints figures; asserts nothing.
//   node bench/dashboard.bench.mjs        (RATE=10 DURATION=30; needs Chromium: /usr/bin/chromium or CHROMIUM_PATH)
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeBinance } from '@trading-orchestrator/data-binance/testing';
import { testDataFile } from '@trading-orchestrator/testdata';
import { chromium } from 'playwright-core';

const rate = Number(process.env.RATE ?? 10);
const seconds = Number(process.env.DURATION ?? 30);
const chromiumPath = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => p && existsSync(p));
if (chromiumPath === undefined) {
  console.log('dashboard bench: no Chromium (apt-get install chromium, or set CHROMIUM_PATH); skipped');
  process.exit(0);
}
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const pluginsDir = fileURLToPath(new URL('../../../plugins', import.meta.url));
const MINUTE = 60_000;
const WARMUP = 60;

// A random walk of minute klines: the first WARMUP end now and are history, the rest are pushed live.
const liveFrom = Math.floor(Date.now() / MINUTE) * MINUTE;
let price = 40_000;
let seed = 7;
const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
const rows = Array.from({ length: WARMUP + rate * seconds + 10 }, (_, i) => {
  const t = liveFrom + (i - WARMUP) * MINUTE;
  const open = price;
  price *= 1 + (random() - 0.5) * 0.004;
  const high = Math.max(open, price) * 1.0005;
  const low = Math.min(open, price) * 0.9995;
  return [t, open.toFixed(2), high.toFixed(2), low.toFixed(2), price.toFixed(2), '12.5', t + MINUTE - 1, '500000', 0, '0', '0', '0'];
});
const server = await startFakeBinance({ exchangeInfo: JSON.parse(readFileSync(testDataFile('binance/rest/http_spot_market_exchange_info.json'), 'utf8')), klines: { BTCUSDT: { '1m': rows.slice(0, WARMUP) } } });
const dir = mkdtempSync(join(tmpdir(), 'to-bench-dashboard-'));
writeFileSync(
  join(dir, 'paper.yaml'),
  `mode: paper
data:
  plugin: data-binance
  config: { urls: { rest: "${server.restUrl}", ws: "${server.wsUrl}" }, rateLimitMs: 0 }
symbols: [BTC/USDT]
timeframe: 1m
warmupBars: ${WARMUP}
capital: 100000
currency: USDT
strategies:
  - plugin: ma-crossover
    config: { fast: 3, slow: 10 }
risk:
  - plugin: risk-guards
  - plugin: risk-var
`,
);
const session = spawn(process.execPath, [cli, 'paper', '--config', 'paper.yaml', '--plugin-dir', pluginsDir, '--no-journal', '--no-report'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
let err = '';
session.stderr.on('data', (d) => (err += d));
const link = await new Promise((resolve, reject) => {
  const timer = setInterval(() => {
    const found = /^dashboard: (\S+)$/m.exec(err)?.[1];
    if (found !== undefined) {
      clearInterval(timer);
      resolve(found);
    }
  }, 20);
  session.once('exit', () => reject(new Error(`the session ended:\n${err}`)));
});
await server.subscribed('btcusdt@kline_1m');

const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
await page.goto(link);
await page.waitForFunction(() => window.dashboardMetrics?.firstData !== undefined, undefined, { timeout: 60_000 });
const start = await page.evaluate(() => ({
  firstPaint: performance.getEntriesByName('first-paint')[0]?.startTime,
  firstContentfulPaint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime,
  firstData: window.dashboardMetrics.firstData,
  domContentLoaded: performance.getEntriesByType('navigation')[0]?.domContentLoadedEventEnd,
}));
await page.evaluate(() => {
  window.dashboardMetrics.latencies.length = 0;
  window.dashboardMetrics.updates = 0;
  window.longTasks = 0;
  new PerformanceObserver((list) => (window.longTasks += list.getEntries().length)).observe({ entryTypes: ['longtask'] });
});

// Bars at RATE a second: each a forming state, then its final one (what Binance's stream sends).
const began = performance.now();
for (let i = 0; i < rate * seconds; i++) {
  const row = rows[WARMUP + i];
  server.pushKline('BTCUSDT', '1m', [row[0], row[1], row[1], row[1], row[1], '0', row[6], '0', 0, '0', '0', '0'], false);
  server.pushKline('BTCUSDT', '1m', row, true);
  const due = began + ((i + 1) * 1000) / rate;
  await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
}
await new Promise((r) => setTimeout(r, 1000));
const run = await page.evaluate(() => ({ latencies: window.dashboardMetrics.latencies.slice(), updates: window.dashboardMetrics.updates, longTasks: window.longTasks, bars: document.querySelector('[data-testid=bars]')?.textContent }));
const sorted = run.latencies.sort((a, b) => a - b);
const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const ms = (v) => (v === undefined ? '-' : `${v.toFixed(0)} ms`);
console.log(`dashboard: first paint ${ms(start.firstPaint)}, first contentful paint ${ms(start.firstContentfulPaint)}, DOM ready ${ms(start.domContentLoaded)}, the session's data drawn at ${ms(start.firstData)} (from navigation)`);
console.log(`live feed at ${rate} bars/s for ${seconds} s: ${run.updates} messages drawn (${(run.updates / seconds).toFixed(1)}/s), ${run.bars} bars on the page; delay from publish to drawn p50 ${ms(at(0.5))}, p95 ${ms(at(0.95))}, p99 ${ms(at(0.99))}, max ${ms(sorted.at(-1))}; ${run.longTasks} long tasks (>50 ms) on the page`);
await browser.close();
session.kill('SIGINT');
await new Promise((r) => session.once('exit', r));
server.close();
rmSync(dir, { recursive: true, force: true });
