import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Journal } from '../src/index.js';

/**
 * Where Node has SQLite built in (22.13 and later) the journal uses node:sqlite and needs no native build. Tried
 * in Node 22 (fetched by npx from the npm registry), on the built package, against better-sqlite3 in this Node.
 */
const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const coreManager = import.meta.resolve('@trading-orchestrator/core-manager');
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'to-node-sqlite-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function inNode22(script: string): { out: string; err: string } {
  const file = join(dir, 'script.mjs');
  writeFileSync(file, script);
  const err = join(dir, 'stderr.txt');
  let out: string;
  try {
    out = execFileSync('sh', ['-c', `npx -y node@22 "${file}" 2>"${err}"`], { cwd: dir, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
  } catch (error) {
    throw new Error(`Node 22 failed: ${execFileSync("cat", [err], { encoding: "utf8" })}`, { cause: error });
  }
  return { out, err: execFileSync('cat', [err], { encoding: 'utf8' }) };
}

describe('the journal on node:sqlite', () => {
  it('records a run through its writer thread with node:sqlite in Node 22, silently, in a file better-sqlite3 reads back', { timeout: 180_000 }, () => {
    const path = join(dir, 'runs.db');
    writeFileSync(join(dir, 'notes.db'), 'not a database\n'.repeat(50));
    const { out, err } = inNode22(`
      import { EventBus } from ${JSON.stringify(coreManager)};
      import { Journal, sqliteDriver } from ${JSON.stringify(dist)};
      const journal = Journal.open(${JSON.stringify(path)});
      await journal.ready();
      const bus = new EventBus();
      const run = journal.startRun({ label: 'node22', mode: 'backtest', config: {}, startedAt: 1 });
      const detach = journal.attach(bus, run, { equity: 'every-bar' });
      for (let i = 0; i < 5000; i++) bus.publish('equity', { time: i * 60000, equity: 100000 + i });
      bus.publish('trade', { strategyId: 's', symbol: 'X', direction: 'long', quantity: 1, entryTime: 0, exitTime: 60000, pnl: 2.5, fees: 0.1, exitReason: 'signal' });
      detach();
      journal.checkpoint(run, 5000, { cash: 1 });
      journal.finishRun(run, { status: 'finished', endedAt: 2, summary: { equity: 104999 } });
      journal.close();
      let refused;
      try { Journal.open(${JSON.stringify(join(dir, 'notes.db'))}); } catch (e) { refused = e.code; }
      console.log(JSON.stringify({ driver: sqliteDriver(), version: process.version, refused }));
    `);
    const seen = JSON.parse(out.trim().split('\n').at(-1)!) as { driver: string; version: string; refused: string };
    expect(seen).toMatchObject({ driver: 'node:sqlite', refused: 'JOURNAL_NOT_SQLITE' });
    expect(seen.version).toMatch(/^v22\./);
    expect(err).not.toContain('ExperimentalWarning');
    const journal = Journal.open(path, { writer: 'inline' });
    try {
      expect(journal.listRuns()).toMatchObject([{ label: 'node22', status: 'finished', summary: { equity: 104999 } }]);
      expect(journal.counts(1)).toMatchObject({ equity: 5000, trades: 1 });
      expect(journal.trades(1)).toEqual([{ strategyId: 's', symbol: 'X', direction: 'long', quantity: 1, entryTime: 0, exitTime: 60000, pnl: 2.5, fees: 0.1, exitReason: 'signal' }]);
      expect(journal.latestCheckpoint(1)).toEqual({ time: 5000, state: { cash: 1 } });
    } finally {
      journal.close();
    }
  });
});
