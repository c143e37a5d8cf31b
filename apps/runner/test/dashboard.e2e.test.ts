import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FakeBinance, KlineRow } from '@trading-orchestrator/data-binance/testing';
import { Journal } from '@trading-orchestrator/journal';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath, launchChromium } from './chromium.js';
import { runCli, startCli } from './cli-harness.js';
import { openingState, startPresentDayBinance } from './present-day-binance.js';

/**
 * The dashboard of a paper session against a local Binance, open in Chromium while bars keep coming: it shows the
 * session's updates, a Disable click takes effect in the session (and is journaled as the dashboard's), and the
 * correlation panel runs sandboxed, fed by message passing, unable to reach the token or the API.
 */
const pluginsDir = fileURLToPath(new URL('../../../plugins', import.meta.url));
const WARMUP = 60;
const SYMBOLS = ['BTC/USDT', 'ETH/USDT'];

let server: FakeBinance;
let dir: string;
let rows: readonly KlineRow[];
let browser: Browser;

describe.skipIf(chromiumPath === undefined)('the dashboard in Chromium', () => {
  beforeAll(async () => {
    ({ server, dir, rows } = await startPresentDayBinance({ warmup: WARMUP, live: 60, symbols: SYMBOLS, extraConfig: 'risk:\n  - plugin: risk-guards\n  - plugin: risk-var\n' }));
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    server?.close();
  });

  const until = async (what: string, test: () => boolean | Promise<boolean>, timeoutMs = 60_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await test())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  let next = WARMUP;
  const push = async (n: number) => {
    for (const row of rows.slice(next, next + n)) {
      for (const symbol of SYMBOLS) {
        server.pushKline(symbol.replace('/', ''), '1m', openingState(row), false);
        server.pushKline(symbol.replace('/', ''), '1m', row, true);
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    next += n;
  };

  it('shows the live session, acts on Disable, Enable and Flatten clicks, and keeps the panel sandboxed', { timeout: 180_000 }, async () => {
    const session = startCli(dir, 'paper', '--config', 'paper.yaml', '--plugin-dir', pluginsDir, '--journal', 'paper.db', '--no-report');
    await Promise.all(SYMBOLS.map((s) => server.subscribed(`${s.replace('/', '').toLowerCase()}@kline_1m`)));
    let link = '';
    await until('the dashboard link', () => {
      link = /^dashboard: (http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]+)$/m.exec(session.err())?.[1] ?? '';
      return link !== '';
    });
    const { token } = JSON.parse(readFileSync(join(dir, '.trading-orchestrator', 'control-paper.yaml.json'), 'utf8')) as { token: string };
    expect(link.endsWith(`#token=${token}`)).toBe(true);
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(link);
    // The token leaves the address bar at once; the page keeps it for this tab only.
    await until('the token out of the address bar', () => !page.url().includes('token'));
    await page.getByTestId('connection').filter({ hasText: 'live' }).waitFor();
    const bars = async () => Number(await page.getByTestId('bars').textContent());
    const before = await bars();
    await push(6);
    // The session trades a bar once it is sure no later state of it comes: the last pushed may wait for the next.
    await until('the live bars on the page', async () => (await bars()) >= before + 8);
    // The candles and equity charts are drawn (lightweight-charts paints on canvases).
    expect(await page.locator('.chart canvas').count()).toBeGreaterThan(0);
    await until('the equity on the page', async () => (await page.getByTestId('equity').textContent()) !== '-');

    // A click on Disable reaches the session: the strategy stops there, not just on the page.
    const row = page.locator('tr[data-plugin="ma-crossover"]');
    await row.getByRole('button', { name: 'Disable' }).click();
    await row.locator('td.state', { hasText: 'disabled' }).waitFor();
    const status = await runCli(dir, 'ctl', 'status', '--config', 'paper.yaml');
    expect(status.out).toMatch(/^ {2}ma-crossover\s+strategy\s+disabled$/m);
    await push(2);
    await row.getByRole('button', { name: 'Enable' }).click();
    await row.locator('td.state', { hasText: 'active' }).waitFor();

    // The panel: found among the installed plugins, fed risk figures, and shut off from everything else.
    const frame = page.frameLocator('iframe[data-panel="panel-correlation"]');
    await push(2);
    await frame.locator('#root table, #root p').first().waitFor();
    const handle = await page.locator('iframe[data-panel="panel-correlation"]').elementHandle();
    const inside = (await handle!.contentFrame())!;
    // Run in the panel's frame, as its own script would: written as page code (this package has no DOM types).
    const reach = await inside.evaluate(`(async () => {
      const attempt = async (what) => { try { await what(); return 'reached'; } catch { return 'refused'; } };
      return {
        parentPage: await attempt(() => window.parent.document.body.innerHTML),
        storage: await attempt(() => window.parent.sessionStorage.getItem('trading-orchestrator-token')),
        ownStorage: await attempt(() => sessionStorage.length),
        api: await attempt(() => fetch('/api/status')),
        socket: await attempt(() => new Promise((resolve, reject) => {
          const ws = new WebSocket('ws://' + (location.host || '127.0.0.1') + '/api/live');
          ws.onopen = resolve;
          ws.onerror = reject;
        })),
        panel: typeof globalThis.panel,
      };
    })()`);
    expect(reach).toEqual({ parentPage: 'refused', storage: 'refused', ownStorage: 'refused', api: 'refused', socket: 'refused', panel: 'object' });
    expect(problems).toEqual([]);

    // Flatten, after the browser's confirmation: entries halt at once, and by the next bars nothing is held.
    page.on('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Flatten' }).click();
    await page.getByTestId('entries').filter({ hasText: 'entries halted' }).waitFor();
    await until('every position closed', async () => {
      await push(1);
      return JSON.parse((await runCli(dir, 'ctl', 'positions', '--json', '--config', 'paper.yaml')).out).length === 0;
    });
    await page.getByText('none open').waitFor();

    expect((await runCli(dir, 'ctl', 'stop', '--config', 'paper.yaml')).code).toBe(0);
    await push(2);
    expect((await session.done).code).toBe(0);
    const journal = Journal.open(join(dir, 'paper.db'));
    try {
      const [run] = journal.listRuns();
      const actions = journal.pluginEvents(run!.id).filter((e) => e.kind === 'control').map((e) => e.message);
      expect(actions.slice(0, 2)).toEqual(['disable ma-crossover by dashboard from 127.0.0.1', 'enable ma-crossover by dashboard from 127.0.0.1']);
      expect(actions[2]).toMatch(/^flatten (nothing open|ma-crossover \S+(, ma-crossover \S+)*) by dashboard from 127\.0\.0\.1$/);
      expect(actions.slice(3)).toEqual(['stop by control API from 127.0.0.1']);
    } finally {
      journal.close();
    }
  });
});
