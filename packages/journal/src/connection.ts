import type { SqliteConnection } from './sqlite/connection.js';

/**
 * Page cache per connection, in KiB. better-sqlite3 builds SQLite with a 16 MB default; the journal appends at
 * the right edge of its tables and reads a run in order, so SQLite's own default of about 2 MB serves as well,
 * and the writer thread's cache no longer adds some 15 MB to a long run's RSS.
 */
export const PAGE_CACHE_KIB = 2_000;

/** Sets up a connection to a journal file: WAL, so readers and the writer do not block each other. */
export function configureConnection(db: SqliteConnection): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 10000');
  db.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
}
