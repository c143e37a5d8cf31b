import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configureConnection, PAGE_CACHE_KIB } from '../src/connection.js';
import { openSqlite } from '../src/sqlite/connection.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'to-journal-connection-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('a journal connection', () => {
  it('is in WAL mode with normal syncing, waits for locks, and keeps a page cache of about 2 MB (better-sqlite3 builds in 16 MB)', () => {
    const db = openSqlite(join(dir, 'j.db'));
    try {
      configureConnection(db);
      expect(db.pragma('journal_mode')).toBe('wal');
      expect(db.pragma('synchronous')).toBe(1);
      expect(db.pragma('busy_timeout')).toBe(10_000);
      expect(db.pragma('cache_size')).toBe(-PAGE_CACHE_KIB);
      expect(PAGE_CACHE_KIB).toBeLessThanOrEqual(2_048);
    } finally {
      db.close();
    }
  });
});
