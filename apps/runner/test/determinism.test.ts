import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runCli } from './cli-harness.js';

const pluginsDir = fileURLToPath(new URL('../../../plugins', import.meta.url));

/** Every journaled row of every table, in the order written, with the run's wall-clock start and end left out. */
function dumpJournal(file: string): string {
  const db = new Database(file, { readonly: true });
  try {
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
    const dump: Record<string, unknown[]> = {};
    for (const table of tables) {
      // Event tables are keyed by (run_id, seq) and have no rowid.
      const keyed = (db.prepare(`SELECT name FROM pragma_table_info('${table}')`).all() as { name: string }[]).some((c) => c.name === 'seq');
      const rows = db.prepare(`SELECT * FROM "${table}" ORDER BY ${keyed ? 'run_id, seq' : 'rowid'}`).all() as Record<string, unknown>[];
      dump[table] = table === 'runs' ? rows.map(({ started_at: _s, ended_at: _e, ...rest }) => rest) : rows;
    }
    return JSON.stringify(dump);
  } finally {
    db.close();
  }
}

describe('determinism', () => {
  it('two runs of the default job write the same journal rows and byte-identical reports', { timeout: 300_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'to-determinism-'));
    for (const n of [1, 2]) {
      const { code, err } = await runCli(dir, 'backtest', '--plugin-dir', pluginsDir, '--journal', `run${n}.db`, '--report', `run${n}.html`);
      expect(code, err).toBe(0);
    }
    const [a, b] = [readFileSync(join(dir, 'run1.html')), readFileSync(join(dir, 'run2.html'))];
    expect(a.length).toBeGreaterThan(10_000);
    expect(a.equals(b), 'the reports differ').toBe(true);
    const [ja, jb] = [dumpJournal(join(dir, 'run1.db')), dumpJournal(join(dir, 'run2.db'))];
    expect(ja.length).toBeGreaterThan(100_000);
    expect(ja === jb, 'the journals differ').toBe(true);
  });
});
