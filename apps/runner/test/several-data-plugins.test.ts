import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { testDataDir } from '@trading-orchestrator/testdata';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './cli-harness.js';

/** A run whose symbols come from several data plugins: each names the symbols it serves. */
const pluginsDir = fileURLToPath(new URL('../../../plugins', import.meta.url));
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'to-several-data-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const spy = `{ baseDir: "${testDataDir()}", files: [{ path: ohlcv/equities/SPY_D.csv, symbol: SPY, timeframe: 1d }] }`;
const run = (data: string, symbols = '[SPY, ALPHA]') => `
data:
${data}
symbols: ${symbols}
timeframe: 1d
start: 2019-01-01
end: 2020-01-01
strategies:
  - plugin: ma-crossover
    config: { fast: 5, slow: 20 }
`;

async function backtest(yaml: string, ...more: string[]) {
  writeFileSync(join(dir, 'run.yaml'), yaml);
  return runCli(dir, 'backtest', '--config', 'run.yaml', '--plugin-dir', pluginsDir, '--no-cache', '--no-report', ...more);
}

describe('several data plugins in one run', () => {
  it('takes each symbol from the plugin that names it, in one time order, and names both in the summary', async () => {
    const { code, out, err } = await backtest(run(`  - plugin: data-file\n    symbols: [SPY]\n    config: ${spy}\n  - plugin: data-synthetic\n    symbols: [ALPHA]\n    config: { origin: 2018-06-01 }`), '--journal', 'runs.db');
    expect(code, err).toBe(0);
    expect(out).toMatch(/^Backtest: SPY, ALPHA 1d from 2019-01-01 to 2020-01-01 \(data-file, data-synthetic\), (\d+) bars/m);
    const db = new Database(join(dir, 'runs.db'), { readonly: true });
    try {
      const symbols = (db.prepare('SELECT DISTINCT symbol FROM fills ORDER BY symbol').all() as { symbol: string }[]).map((r) => r.symbol);
      expect(symbols).toEqual(['ALPHA', 'SPY']);
    } finally {
      db.close();
    }
    // SPY's 252 trading days and ALPHA's 365 calendar days of 2019.
    expect(Number(/\), (\d+) bars/.exec(out)?.[1])).toBe(252 + 365);
  });

  it('says which symbols no plugin serves, which two serve, and that a list of them must split the symbols', async () => {
    const twoForSpy = await backtest(run(`  - plugin: data-file\n    symbols: [SPY]\n    config: ${spy}\n  - plugin: data-synthetic\n    symbols: [SPY, ALPHA]`));
    expect(twoForSpy.code).toBe(1);
    expect(twoForSpy.err).toContain('  - data[1].symbols[0]: SPY is already served by data[0]; a symbol comes from one data plugin');
    const unsplit = await backtest(run(`  - plugin: data-file\n    config: ${spy}\n  - plugin: data-synthetic`));
    expect(unsplit.err).toContain('  - data[0].symbols: with more than one data plugin, each names the symbols it serves');
    const missing = await backtest(run(`  - plugin: data-file\n    symbols: [SPY]\n    config: ${spy}\n  - plugin: data-synthetic\n    symbols: [BETA]`));
    expect(missing.err).toContain('  - data[1].symbols[0]: BETA is not one of the run\'s symbols (SPY, ALPHA)');
    const sameId = await backtest(run(`  - plugin: data-synthetic\n    symbols: [SPY]\n  - plugin: data-synthetic\n    symbols: [ALPHA]`));
    expect(sameId.err).toContain('  - data[1].id: id "data-synthetic" is already used by data[0]; give this one its own id');
  });

  it('a single data plugin is still written and reported as data, not data[0]', async () => {
    const { code, err } = await backtest(run(`  plugin: data-file\n  symbols: [SPY]\n  config: ${spy}`));
    expect(code).toBe(1);
    expect(err).toContain('  - data: no data plugin serves ALPHA: add it to the symbols of one');
    const typo = await backtest(run(`  plugn: data-file`));
    expect(typo.err).toMatch(/ {2}- data\.plugn: unknown setting "plugn" \(did you mean "plugin"\?\)/);
  });
});
