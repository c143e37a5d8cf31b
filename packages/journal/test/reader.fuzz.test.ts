import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Journal, JournalError } from '../src/index.js';

/**
 * A journal file may be damaged by a full disk, a bad copy or another program. Whatever its bytes, opening and
 * reading it either works or fails with a JournalError that names the file: never a crash, never an SqliteError
 * from a read.
 */
// FUZZ_RUNS sets the cases per property; they take seconds on a loaded machine, so each test has a generous timeout.
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 120);
let dir: string;
let good: Buffer;
let n = 0;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'to-journal-fuzz-'));
  const path = join(dir, 'good.db');
  const journal = Journal.open(path, { writer: 'inline' });
  const run = journal.startRun({ label: 'fuzz', mode: 'backtest', config: { symbols: ['X'] }, startedAt: 0 });
  journal.checkpoint(run, 1, { cash: 1 });
  journal.finishRun(run, { status: 'finished', endedAt: 1, summary: { equity: 1 } });
  journal.close();
  good = readFileSync(path);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function readsOrSaysWhy(bytes: Uint8Array): void {
  const path = join(dir, `case-${n++}.db`);
  writeFileSync(path, bytes);
  let journal: Journal;
  try {
    journal = Journal.open(path, { writer: 'inline' });
  } catch (error) {
    expect(error).toBeInstanceOf(JournalError);
    expect((error as JournalError).path).toBe(path);
    return;
  } finally {
    // Opening never takes the file out of reach of the next case.
  }
  try {
    const runs = journal.listRuns();
    for (const run of runs) {
      journal.trades(run.id);
      journal.equity(run.id);
      journal.ignoredSignals(run.id);
      journal.counts(run.id);
      journal.latestCheckpoint(run.id);
    }
  } catch (error) {
    expect(error).toBeInstanceOf(JournalError);
    expect((error as JournalError).path).toBe(path);
    expect((error as JournalError).fix.length).toBeGreaterThan(0);
  } finally {
    try {
      journal.close();
    } catch (error) {
      expect(error).toBeInstanceOf(JournalError);
    }
  }
}

describe('the journal reader on damaged files', () => {
  it('random bytes', { timeout: 120_000 }, () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 8192 }), readsOrSaysWhy), { numRuns: RUNS });
  });

  it('a real journal with bytes overwritten anywhere', { timeout: 120_000 }, () => {
    const damage = fc.array(fc.tuple(fc.nat({ max: 1 << 20 }), fc.uint8Array({ minLength: 1, maxLength: 64 })), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(damage, (edits) => {
        const bytes = Buffer.from(good);
        for (const [at, patch] of edits) bytes.set(patch.subarray(0, Math.max(0, bytes.length - (at % bytes.length))), at % bytes.length);
        readsOrSaysWhy(bytes);
      }),
      { numRuns: RUNS },
    );
  });

  it('a real journal cut short at any length', { timeout: 120_000 }, () => {
    fc.assert(fc.property(fc.nat({ max: 1 << 20 }), (at) => readsOrSaysWhy(good.subarray(0, at % (good.length + 1)))), { numRuns: RUNS });
  });
});
