import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FakeBinance, KlineRow } from '@trading-orchestrator/data-binance/testing';
import { Journal } from '@trading-orchestrator/journal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli-harness.js';
import { openingState, startPresentDayBinance } from './present-day-binance.js';

/**
 * A paper session through the real runner, the real data-binance plugin and ccxt, against a local server that
 * speaks Binance's protocols. The market is real BTC minute bars (FTX BTC-PERP, January 2022) moved to the present,
 * so that the session's warm-up history ends now; the live bars are pushed over the websocket as the exchange
 * would form them.
 */
const pluginsDir = fileURLToPath(new URL('../../../plugins', import.meta.url));
const WARMUP = 60;
const LIVE = 40;

let server: FakeBinance;
let dir: string;
let liveFrom: number;
let rows: readonly KlineRow[];

beforeAll(async () => {
  ({ server, dir, liveFrom, rows } = await startPresentDayBinance({ warmup: WARMUP, live: LIVE + 5, extraConfig: 'risk:\n  - plugin: risk-guards\n' }));
});

afterAll(() => server?.close());

describe('a paper session against a local Binance', () => {
  it('warms up on recent history, trades the live closed bars, and journals the session', { timeout: 120_000 }, async () => {
    const session = runCli(dir, 'paper', '--config', 'paper.yaml', '--plugin-dir', pluginsDir, '--bars', String(LIVE), '--journal', 'paper.db', '--report', 'paper.html');
    await server.subscribed('btcusdt@kline_1m');
    // Each live bar: a forming state, then its final one; the next bar's first update closes it.
    for (const row of rows.slice(WARMUP)) {
      server.pushKline('BTCUSDT', '1m', openingState(row), false);
      server.pushKline('BTCUSDT', '1m', row, true);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const { code, out, err } = await session;
    expect(code, `${out}\n${err}`).toBe(0);
    expect(err).toMatch(/^live from \S+ after \d+ warm-up bars; trading on closed 1m bars for 40 bars$/m);
    // Off a terminal, a status line for every live bar.
    const status = err.split('\n').filter((l) => l.startsWith('live: '));
    expect(status).toHaveLength(LIVE);
    expect(status.at(-1)).toMatch(/^live: 40 bars \| last BTC\/USDT \d\d:\d\d close [\d.]+ \| positions (none|BTC\/USDT [\d.]+) \| equity \d+\.\d\d \| last signal (none|\d\d:\d\d ma-crossover (buy|sell|exit) BTC\/USDT)$/);
    expect(out).toMatch(/^Paper session: BTC\/USDT 1m \(data-binance\), \d+ bars/m);
    const journal = Journal.open(join(dir, 'paper.db'));
    try {
      const [run] = journal.listRuns();
      expect(run).toMatchObject({ mode: 'paper', status: 'finished' });
      const summary = (typeof run!.summary === 'string' ? JSON.parse(run!.summary) : run!.summary) as { bars: number };
      // Warm-up and live bars together; a minute boundary passing between the test's clock and the runner's shifts one bar between the two.
      expect(summary.bars).toBeGreaterThanOrEqual(WARMUP + LIVE - 1);
      expect(summary.bars).toBeLessThanOrEqual(WARMUP + LIVE);
      const counts = journal.counts(run!.id);
      expect(counts.signals, 'the crossover signals on the bars').toBeGreaterThan(0);
      expect(counts.fills, 'and trades on the live ones').toBeGreaterThan(0);
      expect(journal.trades(run!.id).every((t) => t.entryTime >= liveFrom)).toBe(true);
    } finally {
      journal.close();
    }
  });

  it('compares the session with a backtest of the same bars: a paper session fills as the backtest does', { timeout: 120_000 }, async () => {
    const { code, out, err } = await runCli(dir, 'compare', '--config', 'paper.yaml', '--plugin-dir', pluginsDir, '--journal', 'paper.db', '--json');
    expect(code, err).toBe(0);
    const compared = JSON.parse(out) as { run: number; summary: { matched: number; onlyInSession: number; onlyInBacktest: number; meanPriceBps: number; priceCost: number } };
    expect(compared.run).toBe(1);
    expect(compared.summary.matched, out).toBeGreaterThan(0);
    expect(compared.summary).toMatchObject({ onlyInSession: 0, onlyInBacktest: 0 });
    expect(compared.summary.meanPriceBps).toBeCloseTo(0, 9);
    const text = await runCli(dir, 'compare', '--config', 'paper.yaml', '--plugin-dir', pluginsDir, '--journal', 'paper.db');
    expect(text.out).toMatch(/^paper run 1 of paper\.yaml beside a backtest of the same BTC\/USDT 1m bars, \S+ to \S+ \(the paper broker as configured\)$/m);
    expect(text.out).toMatch(/^TIME +STRATEGY +SYMBOL +SIDE +QTY SESSION +QTY BACKTEST +PRICE SESSION +PRICE BACKTEST +WORSE BY \(BPS\) +FEE DIFF$/m);
    expect(text.out).toMatch(/^\d+ executions? in both, 0 only in the session, 0 only in the backtest; on those the session's prices were 0\.0 bps worse on average/m);
    const missing = await runCli(dir, 'compare', '--config', 'paper.yaml', '--plugin-dir', pluginsDir, '--journal', 'paper.db', '--run', '7');
    expect([missing.code, missing.err]).toEqual([1, expect.stringContaining('holds no run 7 that is a paper or live session of paper.yaml')]);
  });

  it('refuses a data plugin without a live feed, naming it', async () => {
    writeFileSync(join(dir, 'offline.yaml'), readFileSync(join(dir, 'paper.yaml'), 'utf8').replace(/data:\n  plugin: data-binance\n  config: .*\n/, 'data:\n  plugin: data-synthetic\n'));
    const { code, err } = await runCli(dir, 'paper', '--config', 'offline.yaml', '--plugin-dir', pluginsDir, '--no-journal', '--no-report');
    expect(code).toBe(1);
    expect(err).toContain('data.plugin: data-synthetic serves historical data, not live: a paper session needs live bars');
  });

  it('refuses a backtest config given to paper, and start/end in a paper config', async () => {
    writeFileSync(join(dir, 'dated.yaml'), `${readFileSync(join(dir, 'paper.yaml'), 'utf8')}start: 2024-01-01\n`);
    const dated = await runCli(dir, 'paper', '--config', 'dated.yaml', '--plugin-dir', pluginsDir);
    expect(dated.code).not.toBe(0);
    expect(dated.err).toContain('a paper session runs from now on live bars; remove start');
    writeFileSync(join(dir, 'bt.yaml'), readFileSync(join(dir, 'paper.yaml'), 'utf8').replace('mode: paper', 'mode: backtest').concat('start: 2024-01-01\nend: 2024-02-01\n'));
    const wrong = await runCli(dir, 'paper', '--config', 'bt.yaml', '--plugin-dir', pluginsDir);
    expect([wrong.code, wrong.err]).toEqual([2, expect.stringContaining('describes a backtest run, not a paper')]);
  });
});
