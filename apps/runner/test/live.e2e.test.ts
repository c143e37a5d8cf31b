import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FakeBinance, KlineRow } from '@trading-orchestrator/data-binance/testing';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCliWithEnv } from './cli-harness.js';
import { openingState, startPresentDayBinance } from './present-day-binance.js';

/**
 * A live session through broker-ccxt and the real ccxt client against a local Binance that checks signatures, the
 * market's filters and the balance: it refuses to start unasked, says which venue and account it trades, reconciles,
 * places and fills real orders from a real strategy, books each venue trade once, flattens on request, and never
 * shows the keys.
 */
const pluginsDir = fileURLToPath(new URL('../../../plugins', import.meta.url));
const WARMUP = 60;
const API_KEY = 'vmPqT3xL8kW2nR5zB9cY4hJ7sD1fG6aQ';
const SECRET = 'NxZ4eR8tY2uI6oP0aS5dF9gH3jK7lQ1wE4rT8yU2iO6p';
const ENV = { TEST_BINANCE_KEY: API_KEY, TEST_BINANCE_SECRET: SECRET };

let server: FakeBinance;
let dir: string;
let rows: readonly KlineRow[];

beforeAll(async () => {
  ({ server, dir, rows } = await startPresentDayBinance({ warmup: WARMUP, live: 200, account: { apiKey: API_KEY, secret: SECRET, balances: { USDT: 20_000, BTC: 0 } } }));
  const paper = readFileSync(join(dir, 'paper.yaml'), 'utf8');
  const broker = `broker:\n  plugin: broker-ccxt\n  config: { apiKey: "\${TEST_BINANCE_KEY}", secret: "\${TEST_BINANCE_SECRET}", urls: { rest: "${server.restUrl}", ws: "${server.wsApiUrl}" }, pollMs: 100 }\n`;
  writeFileSync(join(dir, 'live.yaml'), `${paper.replace('mode: paper', 'mode: live').replace('capital: 100000', 'capital: 10000')}${broker}journal: live.db\nreport: live.html\n`);
  writeFileSync(join(dir, 'paper-venue.yaml'), `${paper}${broker}`);
});

afterAll(() => server?.close());

describe('trading-orchestrator live against a Binance that checks what Binance checks', () => {
  it('refuses to start unless told it means it, and a paper session refuses a broker that trades real money', async () => {
    const unconfirmed = await startCliWithEnv(dir, ENV, 'live', '--config', 'live.yaml', '--plugin-dir', pluginsDir).done;
    expect(unconfirmed.code, unconfirmed.err).toBe(2);
    expect(unconfirmed.err).toContain('a live session places real orders, and nothing says you mean it');
    expect(unconfirmed.err).toContain('add live: { confirm: true } to the run file, or pass --confirm-live');
    const paper = await startCliWithEnv(dir, ENV, 'paper', '--config', 'paper-venue.yaml', '--plugin-dir', pluginsDir, '--no-journal', '--no-report').done;
    expect(paper.code).not.toBe(0);
    expect(paper.err).toMatch(/broker "broker-ccxt" places real orders on binance \(spot\) \(API key vmPq…G6aQ\), and this is a paper session/);
    expect(server.account!.allOrders()).toEqual([]);
  });

  it('trades a real strategy on the venue, books every venue trade once, flattens on request, and shows no key', { timeout: 180_000 }, async () => {
    const session = startCliWithEnv(dir, ENV, 'live', '--config', 'live.yaml', '--plugin-dir', pluginsDir, '--confirm-live');
    await server.subscribed('btcusdt@kline_1m');
    const until = async (what: string, test: () => boolean | Promise<boolean>, step?: () => Promise<void>) => {
      const deadline = Date.now() + 90_000;
      while (!(await test())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${session.err()}`);
        await (step?.() ?? new Promise((r) => setTimeout(r, 50)));
      }
    };
    await until('the venue announced', () => /^live on binance \(spot\), API key vmPq…G6aQ: REAL MONEY$/m.test(session.err()));
    // The private stream repeats every report: each venue trade is still booked once.
    await server.userStream!.whenSubscribed();
    server.userStream!.fail({ kind: 'duplicate', count: 10_000 });
    let next = WARMUP;
    const push = async () => {
      const row = rows[next++];
      if (row === undefined) throw new Error(`out of bars; the venue has ${JSON.stringify(server.account!.allOrders())}\n${session.err()}`);
      server.pushKline('BTCUSDT', '1m', openingState(row), false);
      server.pushKline('BTCUSDT', '1m', row, true);
      // Bars a minute apart in life; here the venue's poller (100 ms) still gets several rounds between two.
      await new Promise((r) => setTimeout(r, 400));
    };
    const venueTrades = () => server.account!.allTrades().length;
    await until('a round trip at the venue (an entry and its exit)', () => server.account!.allOrders().filter((o) => o['status'] === 'FILLED').length >= 2, push);
    // The stream is cut: polling books what comes meanwhile, and the broker subscribes again.
    server.userStream!.drop();
    await until('the private stream subscribed again', () => server.userStream!.subscribers === 1);
    // Every order the session sent went under its own id, and the venue holds what the session says it holds.
    expect(server.account!.allOrders().every((o) => /^ma-crossover-\d+$/.test(String(o['clientOrderId'])))).toBe(true);
    // Positions beyond dust: a buy booked net of its BTC commission and sold in whole lots leaves less than a lot.
    const held = async () => (JSON.parse((await runCli(dir, 'ctl', 'positions', '--json', '--config', 'live.yaml')).out) as { quantity: number }[]).filter((p) => Math.abs(p.quantity) >= 0.00001);
    await until('an open position to flatten', async () => (await held()).length > 0, push);
    expect((await runCli(dir, 'ctl', 'flatten', '--config', 'live.yaml')).out).toMatch(/^entries HALTED; closing at each symbol's next bar:\n {2}ma-crossover BTC\/USDT: holds /);
    await until('the position closed at the venue', async () => (await held()).length === 0, push);
    // Commission was charged in BTC on the buys: what is left at the venue is that dust, not a position.
    expect(server.account!.balances.get('BTC')!.free).toBeLessThan(0.001);
    const tradesAtVenue = venueTrades();
    await new Promise((r) => setTimeout(r, 800));
    expect((await runCli(dir, 'ctl', 'stop', '--config', 'live.yaml')).code).toBe(0);
    await push();
    const { code, out, err } = await session.done;
    expect(code, err).toBe(0);
    expect(out).toContain('Live session: BTC/USDT 1m');
    // The session's own part of tick-to-trade, said as it stops.
    expect(err).toMatch(/^orders left for the venue [\d.]+ ms \(p50\), [\d.]+ ms \(p99\), [\d.]+ ms at most after their bar's turn came; .* after it reached the session \(\d+ orders?; the venue's network not included\)$/m);
    const db = new Database(join(dir, 'live.db'), { readonly: true });
    try {
      const fills = db.prepare('SELECT order_id AS orderId, quantity, price FROM fills ORDER BY seq').all() as { orderId: string; quantity: number; price: number }[];
      const venue = server.account!.allTrades();
      // One booked fill per venue trade: none missed, none twice (the poller and the host both saw each).
      expect(fills).toHaveLength(tradesAtVenue);
      expect(fills.map((f) => f.price)).toEqual(venue.map((t) => Number(t['price'])));
      // A buy is booked net of the BTC its commission took, a sell as sold: the session holds what the venue holds.
      fills.forEach((f, i) => expect(f.quantity).toBeCloseTo(Number(venue[i]!['qty']) - (venue[i]!['commissionAsset'] === 'BTC' ? Number(venue[i]!['commission']) : 0), 10));
      const reconciled = db.prepare("SELECT message FROM plugin_events WHERE kind = 'control' AND message LIKE 'reconcile%'").all() as { message: string }[];
      expect(reconciled[0]!.message).toBe('reconcile start: the venue and the session agree by live session');
    } finally {
      db.close();
    }
    // Beside a backtest of the same bars: every execution of the session is accounted for, paired or alone.
    const compared = await startCliWithEnv(dir, ENV, 'compare', '--config', 'live.yaml', '--plugin-dir', pluginsDir, '--json').done;
    expect(compared.code, compared.err).toBe(0);
    const comparison = JSON.parse(compared.out) as { mode: string; summary: { matched: number; onlyInSession: number } };
    expect(comparison.mode).toBe('live');
    expect(comparison.summary.matched + comparison.summary.onlyInSession).toBe(server.account!.allOrders().filter((o) => Number(o['executedQty']) > 0).length);
    for (const text of [out, err, compared.out, compared.err, readFileSync(join(dir, 'live.db')).toString('latin1'), readFileSync(join(dir, 'live.html'), 'utf8')]) {
      expect(text).not.toContain(API_KEY);
      expect(text).not.toContain(SECRET);
    }
  });
});
