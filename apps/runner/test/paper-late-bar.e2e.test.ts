import { fileURLToPath } from 'node:url';
import type { FakeBinance, KlineRow } from '@trading-orchestrator/data-binance/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli } from './cli-harness.js';
import { openingState, sessionLiveFrom, startPresentDayBinance } from './present-day-binance.js';

/**
 * A paper session on two symbols whose feed delivers one bar late: ETH's next bar has already closed and been
 * traded on when BTC's earlier bar closes. Processing it would break time order, so it is left out, and the runner
 * says so instead of losing it without a word.
 */
const pluginsDir = fileURLToPath(new URL('../../../plugins', import.meta.url));
const WARMUP = 20;

let server: FakeBinance;
let dir: string;
let rows: readonly KlineRow[];

beforeAll(async () => {
  ({ server, dir, rows } = await startPresentDayBinance({ warmup: WARMUP, live: 10, symbols: ['BTC/USDT', 'ETH/USDT'] }));
});

afterAll(() => server?.close());

describe('a paper session whose feed delivers a bar late', () => {
  it('leaves the late bar out and says which one, and why', { timeout: 120_000 }, async () => {
    const session = startCli(dir, 'paper', '--config', 'paper.yaml', '--plugin-dir', pluginsDir, '--bars', '3', '--no-journal', '--no-report');
    const from = await sessionLiveFrom(session.err);
    await server.subscribed('btcusdt@kline_1m');
    await server.subscribed('ethusdt@kline_1m');
    const first = rows.findIndex((row) => row[0] >= from);
    const [t0, t1, t2, t3] = [rows[first]!, rows[first + 1]!, rows[first + 2]!, rows[first + 3]!];
    const settle = () => new Promise((resolve) => setTimeout(resolve, 500));
    // Both symbols start their first live bar.
    server.pushKline('BTCUSDT', '1m', openingState(t0), false);
    server.pushKline('ETHUSDT', '1m', openingState(t0), false);
    await settle();
    // ETH's first two bars close (each when the next starts) and are traded on; BTC's first bar is still open.
    for (const [row, next] of [[t0, t1], [t1, t2]] as const) {
      server.pushKline('ETHUSDT', '1m', row, true);
      server.pushKline('ETHUSDT', '1m', openingState(next), false);
      await settle();
    }
    // Only now does BTC's first bar close: later than ETH's second.
    server.pushKline('BTCUSDT', '1m', t0, true);
    server.pushKline('BTCUSDT', '1m', openingState(t1), false);
    await settle();
    // ETH's third bar closes: the third bar of the session, which ends it.
    server.pushKline('ETHUSDT', '1m', t2, true);
    server.pushKline('ETHUSDT', '1m', openingState(t3), false);
    const { code, out, err } = await session.done;
    expect(code, `${out}\n${err}`).toBe(0);
    const time = (row: KlineRow) => new Date(row[0]).toISOString();
    expect(err).toContain(`warning: the BTC/USDT bar of ${time(t0)} closed after a bar of ${time(t1)} was traded on; it is left out to keep time order (the data feed delivered it late)`);
    expect(err.match(/^warning: /gm)).toHaveLength(1);
  });
});
