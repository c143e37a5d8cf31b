import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configureConnection, PAGE_CACHE_KIB } from '../src/connection.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'to-journal-connection-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('a journal connection', () => {
  it('is in WAL mode with normal syncing, waits for locks, and keeps a page cache of about 2 MB, not better-sqlite3 16 MB', () => {
    const db = new Database(join(dir, 'j.db'));
    try {
      expect(db.pragma('cache_size', { simple: true })).toBe(-16_000);
      configureConnection(db);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('synchronous', { simple: true })).toBe(1);
      expect(db.pragma('busy_timeout', { simple: true })).toBe(10_000);
      expect(db.pragma('cache_size', { simple: true })).toBe(-PAGE_CACHE_KIB);
      expect(PAGE_CACHE_KIB).toBeLessThanOrEqual(2_048);
    } finally {
      db.close();
    }
  });
});
