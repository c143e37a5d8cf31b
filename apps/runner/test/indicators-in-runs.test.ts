import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rsi } from '@trading-orchestrator/indicators';
import { loadOhlcvCsv } from '@trading-orchestrator/market-data';
import { testDataDir, testDataFile } from '@trading-orchestrator/testdata';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './cli-harness.js';

/** Indicator plugins in a run: configured under `indicators:`, fed every bar, read by a strategy through its context. */
const indicatorsPackage = fileURLToPath(new URL('../../../packages/indicators', import.meta.url));
const reader = fileURLToPath(new URL('./fixtures/strategy-rsi-reader', import.meta.url));
const pluginsDir = fileURLToPath(new URL('../../../plugins', import.meta.url));
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'to-indicators-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const run = (extra = '') => `
data:
  plugin: data-file
  config: { baseDir: "${testDataDir()}", files: [{ path: ohlcv/equities/SPY_D.csv, symbol: SPY, timeframe: 1d }] }
symbols: [SPY]
timeframe: 1d
start: 2005-01-01
end: 2020-08-28
warmupBars: 30
indicators:
  - plugin: indicators
    id: rsi14
    config: { indicator: rsi, period: 14 }
strategies:
  - plugin: fixture-rsi-reader
    config: { indicator: rsi14, below: 30, above: 70 }
${extra}`;

describe('indicator plugins in a run', () => {
  it("a strategy trades on the run's RSI plugin, reading on each bar the value that bar makes (checked against an independent RSI)", async () => {
    writeFileSync(join(dir, 'run.yaml'), run());
    const args = ['--plugin-path', indicatorsPackage, '--plugin-path', reader, '--plugin-dir', pluginsDir, '--no-cache', '--journal', 'runs.db', '--no-report'];
    const { code, out, err } = await runCli(dir, 'backtest', '--config', 'run.yaml', ...args);
    expect(code, err).toBe(0);
    expect(Number(/^fixture-rsi-reader\s+(\d+)/m.exec(out)?.[1])).toBeGreaterThan(3);
    // The same RSI over the same bars, computed here.
    const { bars } = loadOhlcvCsv(testDataFile('ohlcv/equities/SPY_D.csv'), { symbol: 'SPY', timeframe: '1d' });
    const rsi = new Rsi(14);
    const expected = new Map<number, number>();
    // The run feeds bars from its start (its first 30 only warm the strategy up); the indicator sees them all.
    const first = bars.findIndex((b) => b.time >= Date.UTC(2005, 0, 1));
    for (const bar of bars.slice(first, bars.findIndex((b) => b.time >= Date.UTC(2020, 7, 28)))) {
      rsi.update(bar.close);
      if (rsi.isStable) expected.set(bar.time, rsi.value);
    }
    const db = new Database(join(dir, 'runs.db'), { readonly: true });
    const signals = db.prepare('SELECT time, reason FROM signals').all() as { time: number; reason: string }[];
    db.close();
    expect(signals.length).toBeGreaterThan(5);
    for (const s of signals) expect(Number(s.reason.split(' ')[1])).toBeCloseTo(expected.get(s.time)!, 9);
  });

  it('a strategy asking for an indicator the run lacks fails its hook with a message naming the ones it has', async () => {
    writeFileSync(join(dir, 'run.yaml'), run().replace('config: { indicator: rsi14, below', 'config: { indicator: rsi15, below'));
    const { code, out } = await runCli(dir, 'backtest', '--config', 'run.yaml', '--plugin-path', indicatorsPackage, '--plugin-path', reader, '--plugin-dir', pluginsDir, '--no-cache', '--no-journal', '--no-report');
    expect(code).toBe(0);
    expect(out).toMatch(/^fixture-rsi-reader \(out of the run\)\s+0\s/m);
    expect(out).toMatch(/fixture-rsi-reader: onBar failed \d+ times? \(e\.g\. [^)]*rsi15[^)]*rsi14/);
  });
});
