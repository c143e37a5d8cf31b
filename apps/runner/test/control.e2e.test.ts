import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FakeBinance, KlineRow } from '@trading-orchestrator/data-binance/testing';
import { Journal } from '@trading-orchestrator/journal';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from './cli-harness.js';
import { openingState, startPresentDayBinance } from './present-day-binance.js';

/**
 * A paper session against a local Binance, driven from outside while bars keep coming: `ctl` reads the session's
 * state, halts its entries, disables and enables a strategy, and stops it; the journal records every action.
 */
const pluginsDir = fileURLToPath(new URL('../../../plugins', import.meta.url));
const WARMUP = 60;

let server: FakeBinance;
let dir: string;
let rows: readonly KlineRow[];

beforeAll(async () => {
  ({ server, dir, rows } = await startPresentDayBinance({ warmup: WARMUP, live: 40, extraConfig: 'risk:\n  - plugin: risk-guards\n' }));
});

afterAll(() => server?.close());

const until = async (what: string, test: () => boolean, timeoutMs = 60_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

/** Pushes the market's rows from `from` on as live bars, `n` at a time: each a forming state, then its final one. */
function liveBars(from: number): (n: number) => Promise<void> {
  let next = from;
  return async (n) => {
    for (const row of rows.slice(next, next + n)) {
      server.pushKline('BTCUSDT', '1m', openingState(row), false);
      server.pushKline('BTCUSDT', '1m', row, true);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    next += n;
  };
}

describe('trading-orchestrator ctl against a running paper session', () => {
  it('reads its state, halts and resumes entries, disables a strategy and stops it, each action journaled', { timeout: 120_000 }, async () => {
    const session = startCli(dir, 'paper', '--config', 'paper.yaml', '--plugin-dir', pluginsDir, '--journal', 'paper.db', '--no-report');
    await server.subscribed('btcusdt@kline_1m');
    await until('the control API', () => /^control API on http:\/\/127\.0\.0\.1:\d+ /m.test(session.err()));
    const controlFile = join(dir, '.trading-orchestrator', 'control-paper.yaml.json');
    expect(statSync(controlFile).mode & 0o777).toBe(0o600);
    const ctl = (...args: string[]) => runCli(dir, 'ctl', ...args, '--config', 'paper.yaml');
    const push = liveBars(WARMUP);
    await push(5);
    const status = await ctl('status');
    expect(status.code, status.err).toBe(0);
    expect(status.out).toMatch(/^paper session: \d+ bars, the last of \S+; equity (\d+\.\d\d|-); \d+ positions? open$/m);
    expect(status.out).toContain('entries allowed');
    expect(status.out).toMatch(/^ {2}ma-crossover\s+strategy\s+active$/m);
    // The halt rule is asked before the run's risk plugins.
    expect(status.out).toMatch(/^ {2}control-halt\s+risk\s+active$/m);
    const health = await ctl('health');
    expect(health.code).toBe(0);
    expect(JSON.parse(health.out)).toEqual(expect.arrayContaining([expect.objectContaining({ pluginId: 'ma-crossover', state: 'active' })]));
    // The risk plugins' own figures for the account now: risk-guards' limits and how much of each is used.
    const risk = JSON.parse((await ctl('risk')).out) as { pluginId: string; figures?: { limits: { name: string; utilisation: number }[] } }[];
    expect(risk.map((r) => r.pluginId)).toEqual(['risk-guards']);
    expect(risk[0]!.figures!.limits.length).toBeGreaterThan(0);
    expect((await ctl('halt')).code).toBe(0);
    expect((await ctl('status')).out).toContain('entries HALTED (halted by control API from 127.0.0.1); exits go on');
    await push(10);
    expect((await ctl('resume')).code).toBe(0);
    const disabled = await ctl('disable', 'ma-crossover', '--json');
    expect(JSON.parse(disabled.out)).toEqual({ id: 'ma-crossover', state: 'disabled' });
    await push(5);
    expect((await ctl('enable', 'ma-crossover')).code).toBe(0);
    const data = await ctl('disable', 'data:data-binance');
    expect(data.code).toBe(1);
    expect(data.err).toContain('"data:data-binance" is the session\'s data plugin');
    expect((await ctl('stop')).code).toBe(0);
    await push(2);
    const { code, out } = await session.done;
    expect(code).toBe(0);
    expect(out).toMatch(/^stopped by trading-orchestrator ctl stop after \d+ bars/m);
    expect(existsSync(controlFile)).toBe(false);
    const after = await ctl('status');
    expect(after.err).toContain('no running session\'s control file');
    const journal = Journal.open(join(dir, 'paper.db'));
    try {
      const [run] = journal.listRuns();
      expect(run).toMatchObject({ mode: 'paper', status: 'finished' });
      const actions = journal.pluginEvents(run!.id).filter((e) => e.kind === 'control').map((e) => e.message);
      expect(actions).toEqual(['halt by control API from 127.0.0.1', 'resume by control API from 127.0.0.1', 'disable ma-crossover by control API from 127.0.0.1', 'enable ma-crossover by control API from 127.0.0.1', 'stop by control API from 127.0.0.1']);
    } finally {
      journal.close();
    }
  });

  it('takes a TradingView-style webhook alert to the strategy it names, which trades it at the next bar', { timeout: 120_000 }, async () => {
    const { writeFileSync, readFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'alerts.yaml'), readFileSync(join(dir, 'paper.yaml'), 'utf8').replace(/^strategies:\n/m, 'strategies:\n  - plugin: fixture-alerts\n'));
    const session = startCli(dir, 'paper', '--config', 'alerts.yaml', '--plugin-dir', pluginsDir, '--plugin-path', fileURLToPath(new URL('./fixtures/strategy-alerts', import.meta.url)), '--journal', 'alerts.db', '--no-report');
    await until('the control API', () => /^control API on http:\/\/127\.0\.0\.1:\d+ /m.test(session.err()));
    const { url, token } = JSON.parse(readFileSync(join(dir, '.trading-orchestrator', 'control-alerts.yaml.json'), 'utf8')) as { url: string; token: string };
    const push = liveBars(WARMUP + 20);
    // An alert is sized at the symbol's last price: the session must have traded a live bar first. A bar closes when
    // the next one starts, and a loaded machine takes its time: bars keep coming until it has (a minute at most).
    const tradedLive = async () => ((await (await fetch(`${url}/api/status`, { headers: { authorization: `Bearer ${token}` } })).json()) as { equity: number | null }).equity !== null;
    const deadline = Date.now() + 60_000;
    await push(3);
    while (!(await tradedLive())) {
      if (Date.now() > deadline) throw new Error(`the session traded no live bar within a minute:\n${session.err()}`);
      await new Promise((r) => setTimeout(r, 250));
      await push(1);
    }
    // TradingView cannot set headers: the token travels in the alert's JSON, which is its message.
    const refused = await fetch(`${url}/api/alerts`, { method: 'POST', body: JSON.stringify({ token: 'wrong', strategy: 'fixture-alerts', symbol: 'BTC/USDT', action: 'buy' }) });
    expect(refused.status).toBe(401);
    const answer = await fetch(`${url}/api/alerts`, { method: 'POST', body: JSON.stringify({ token, strategy: 'fixture-alerts', symbol: 'BTC/USDT', timeframe: '1m', action: 'buy' }) });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ rule: 'strategy', targets: [{ strategyId: 'fixture-alerts', signals: 1, failed: false }] });
    const nobody = await fetch(`${url}/api/alerts`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: JSON.stringify({ strategy: 'ma-crossover', symbol: 'BTC/USDT', action: 'buy' }) });
    expect(await nobody.json()).toEqual({ rule: 'none', targets: [] });
    await push(3);
    expect((await runCli(dir, 'ctl', 'stop', '--config', 'alerts.yaml')).code).toBe(0);
    await push(2);
    expect((await session.done).code).toBe(0);
    const journal = Journal.open(join(dir, 'alerts.db'));
    try {
      const [run] = journal.listRuns();
      const alerts = journal.pluginEvents(run!.id).filter((e) => e.code === 'ALERT').map((e) => e.message);
      expect(alerts).toEqual(['alert strategy: fixture-alerts (1 signal) by webhook from 127.0.0.1', 'alert no strategy (none takes alerts for it) by webhook from 127.0.0.1']);
    } finally {
      journal.close();
    }
    const db = new Database(join(dir, 'alerts.db'), { readonly: true });
    const orders = db.prepare("SELECT side, status FROM orders WHERE strategy_id = 'fixture-alerts' ORDER BY seq").all() as { side: string; status: string }[];
    db.close();
    expect(orders[0], 'the alert\'s buy became an order').toMatchObject({ side: 'buy' });
    expect(orders.map((o) => o.status)).toContain('filled');
  });

  it('refuses a control API on another address without the opt-in', async () => {
    const { writeFileSync, readFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'remote.yaml'), `${readFileSync(join(dir, 'paper.yaml'), 'utf8')}\ncontrol: { host: 0.0.0.0 }\n`);
    const { code, err } = await runCli(dir, 'paper', '--config', 'remote.yaml', '--plugin-dir', pluginsDir, '--no-journal', '--no-report', '--bars', '1');
    expect(code).toBe(1);
    expect(err).toContain('control.host: 0.0.0.0 is not this machine alone');
  });
});
