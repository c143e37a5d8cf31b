import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FakeBinance, KlineRow } from '@trading-orchestrator/data-binance/testing';
import { Journal } from '@trading-orchestrator/journal';
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

describe('trading-orchestrator ctl against a running paper session', () => {
  it('reads its state, halts and resumes entries, disables a strategy and stops it, each action journaled', { timeout: 120_000 }, async () => {
    const session = startCli(dir, 'paper', '--config', 'paper.yaml', '--plugin-dir', pluginsDir, '--journal', 'paper.db', '--no-report');
    await server.subscribed('btcusdt@kline_1m');
    await until('the control API', () => /^control API on http:\/\/127\.0\.0\.1:\d+ /m.test(session.err()));
    const controlFile = join(dir, '.trading-orchestrator', 'control.json');
    expect(statSync(controlFile).mode & 0o777).toBe(0o600);
    const ctl = (...args: string[]) => runCli(dir, 'ctl', ...args, '--config', 'paper.yaml');
    let next = WARMUP;
    const push = async (n: number) => {
      for (const row of rows.slice(next, next + n)) {
        server.pushKline('BTCUSDT', '1m', openingState(row), false);
        server.pushKline('BTCUSDT', '1m', row, true);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      next += n;
    };
    await push(5);
    const status = await ctl('status');
    expect(status.code, status.err).toBe(0);
    expect(status.out).toMatch(/^paper session: \d+ bars, the last of \S+; equity \d+\.\d\d; \d+ positions? open$/m);
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

  it('refuses a control API on another address without the opt-in', async () => {
    const { writeFileSync, readFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'remote.yaml'), `${readFileSync(join(dir, 'paper.yaml'), 'utf8')}\ncontrol: { host: 0.0.0.0 }\n`);
    const { code, err } = await runCli(dir, 'paper', '--config', 'remote.yaml', '--plugin-dir', pluginsDir, '--no-journal', '--no-report', '--bars', '1');
    expect(code).toBe(1);
    expect(err).toContain('control.host: 0.0.0.0 is not this machine alone');
  });
});
