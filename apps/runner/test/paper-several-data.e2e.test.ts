import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FakeBinance, KlineRow } from '@trading-orchestrator/data-binance/testing';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli } from './cli-harness.js';
import { openingState, sessionLiveFrom, startPresentDayBinance } from './present-day-binance.js';

/**
 * A paper session whose two symbols come from two data plugin instances (each its own connection to a local
 * Binance): both warm up, both live feeds are merged as bars arrive, and every bar of each reaches the engine.
 */
const pluginsDir = fileURLToPath(new URL('../../../plugins', import.meta.url));
const WARMUP = 20;

let server: FakeBinance;
let dir: string;
let rows: readonly KlineRow[];

beforeAll(async () => {
  ({ server, dir, rows } = await startPresentDayBinance({ warmup: WARMUP, live: 10, symbols: ['BTC/USDT', 'ETH/USDT'] }));
  const config = `{ urls: { rest: "${server.restUrl}", ws: "${server.wsUrl}" }, rateLimitMs: 0 }`;
  const yaml = readFileSync(join(dir, 'paper.yaml'), 'utf8').replace(
    /data:\n {2}plugin: data-binance\n {2}config: .*\n/,
    `data:\n  - plugin: data-binance\n    id: btc-feed\n    symbols: [BTC/USDT]\n    config: ${config}\n  - plugin: data-binance\n    id: eth-feed\n    symbols: [ETH/USDT]\n    config: ${config}\n`,
  );
  writeFileSync(join(dir, 'two-feeds.yaml'), yaml);
});

afterAll(() => server?.close());

describe('a paper session on two data plugins', () => {
  it('warms up on both, merges their live bars as they close, and trades every one of them in time order', { timeout: 120_000 }, async () => {
    const session = startCli(dir, 'paper', '--config', 'two-feeds.yaml', '--plugin-dir', pluginsDir, '--bars', '4', '--journal', 'two.db', '--no-report');
    const from = await sessionLiveFrom(session.err);
    await server.subscribed('btcusdt@kline_1m');
    await server.subscribed('ethusdt@kline_1m');
    const first = rows.findIndex((row) => row[0] >= from);
    const [t0, t1, t2] = [rows[first]!, rows[first + 1]!, rows[first + 2]!];
    const settle = () => new Promise((resolve) => setTimeout(resolve, 300));
    for (const [row, next] of [[t0, t1], [t1, t2]] as const) {
      for (const market of ['BTCUSDT', 'ETHUSDT']) {
        server.pushKline(market, '1m', row, true);
        server.pushKline(market, '1m', openingState(next), false);
      }
      await settle();
    }
    const { code, out, err } = await session.done;
    expect(code, `${out}\n${err}`).toBe(0);
    expect(out).toMatch(/^Paper session: BTC\/USDT, ETH\/USDT 1m \(btc-feed, eth-feed\), \d+ bars/m);
    const db = new Database(join(dir, 'two.db'), { readonly: true });
    try {
      const [run] = db.prepare('SELECT summary FROM runs').all() as { summary: string }[];
      // Both symbols' warm-up and their two live bars each.
      expect((JSON.parse(run!.summary) as { bars: number }).bars).toBeGreaterThanOrEqual(2 * (WARMUP - 1) + 4);
    } finally {
      db.close();
    }
    expect(err).not.toMatch(/closed after a bar of .* was traded on/);
  });
});
