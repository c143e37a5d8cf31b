import { createRequire } from 'node:module';

/** A prepared statement, as the journal uses one. */
export interface SqliteStatement {
  /** Runs it with positional parameters (or one array of them). */
  run(...params: unknown[]): { readonly lastInsertRowid: number | bigint };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}

/** An SQLite connection, as the journal uses one: the part better-sqlite3 and node:sqlite share, made alike. */
export interface SqliteConnection {
  /** Which library the connection is made with. */
  readonly driver: SqliteDriver;
  prepare(sql: string): SqliteStatement;
  exec(sql: string): void;
  /** Reads a pragma's value (`user_version`) or sets one (`journal_mode = WAL`). */
  pragma(text: string): unknown;
  /** `fn` wrapped in BEGIN / COMMIT, rolled back if it throws. */
  transaction<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void;
  close(): void;
}

export type SqliteDriver = 'node:sqlite' | 'better-sqlite3';

const require = createRequire(import.meta.url);

interface NodeSqlite {
  DatabaseSync: new (path: string) => {
    prepare(sql: string): { run(...p: unknown[]): { lastInsertRowid: number | bigint }; get(...p: unknown[]): unknown; all(...p: unknown[]): unknown[] };
    exec(sql: string): void;
    close(): void;
  };
}

/**
 * node:sqlite when this Node has it (22.13 and later: no native build), loaded without its "experimental" warning
 * on the user's terminal; undefined otherwise.
 */
function nodeSqlite(): NodeSqlite | undefined {
  const get = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
  if (get === undefined) return undefined;
  const emit = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === 'string' ? warning : warning.message;
    if (/SQLite is an experimental feature/.test(text)) return;
    (emit as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    return get.call(process, 'node:sqlite') as NodeSqlite | undefined;
  } finally {
    process.emitWarning = emit;
  }
}

/** better-sqlite3 when it is installed (it builds SQLite from source where no prebuilt binary fits); undefined otherwise. */
function betterSqlite3(): (new (path: string) => SqliteConnection & { pragma(text: string, options?: { simple: boolean }): unknown }) | undefined {
  try {
    return require('better-sqlite3') as never;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return undefined;
    throw error;
  }
}

/** The driver this process uses: `TRADING_ORCHESTRATOR_SQLITE` (node or better) picks one; else node:sqlite if there, else better-sqlite3. */
export function sqliteDriver(): SqliteDriver | undefined {
  const asked = process.env['TRADING_ORCHESTRATOR_SQLITE'];
  if (asked === 'node') return nodeSqlite() === undefined ? undefined : 'node:sqlite';
  if (asked === 'better') return betterSqlite3() === undefined ? undefined : 'better-sqlite3';
  if (nodeSqlite() !== undefined) return 'node:sqlite';
  return betterSqlite3() === undefined ? undefined : 'better-sqlite3';
}

/** Thrown when this Node has no node:sqlite and better-sqlite3 is not installed. */
export class NoSqliteError extends Error {
  readonly code = 'JOURNAL_NO_SQLITE';
  readonly fix = 'use Node 22.13 or later (it has SQLite built in), or npm install better-sqlite3';
  constructor() {
    super(`the journal needs SQLite: this Node (${process.version}) has no node:sqlite and better-sqlite3 is not installed`);
  }
}

/** Opens (creating it if missing) the SQLite database at `path` with the driver `sqliteDriver()` picks. */
export function openSqlite(path: string): SqliteConnection {
  const driver = sqliteDriver();
  if (driver === undefined) throw new NoSqliteError();
  if (driver === 'better-sqlite3') {
    const Database = betterSqlite3()!;
    const db = new Database(path);
    return {
      driver,
      prepare: (sql) => db.prepare(sql),
      exec: (sql) => void db.exec(sql),
      pragma: (text) => (text.includes('=') ? db.pragma(text) : db.pragma(text, { simple: true })),
      transaction: (fn) => db.transaction(fn) as never,
      close: () => db.close(),
    };
  }
  const db = new (nodeSqlite()!.DatabaseSync)(path);
  let depth = 0;
  // better-sqlite3 binds an array given as the only argument as the parameter list; node:sqlite needs them spread.
  const spread = (params: unknown[]): unknown[] => (params.length === 1 && Array.isArray(params[0]) ? (params[0] as unknown[]) : params);
  return {
    driver,
    prepare: (sql) => {
      const statement = db.prepare(sql);
      return {
        run: (...params) => statement.run(...spread(params)),
        get: (...params) => statement.get(...spread(params)),
        all: (...params) => statement.all(...spread(params)),
      };
    },
    exec: (sql) => db.exec(sql),
    pragma: (text) => {
      if (text.includes('=')) return db.exec(`PRAGMA ${text}`);
      const row = db.prepare(`PRAGMA ${text}`).get() as Record<string, unknown> | undefined;
      return row === undefined ? undefined : Object.values(row)[0];
    },
    // Nested as better-sqlite3 nests them: the outermost is a transaction, an inner one a savepoint inside it.
    transaction:
      <A extends unknown[]>(fn: (...args: A) => void) =>
      (...args: A) => {
        const savepoint = depth === 0 ? undefined : `nested_${depth}`;
        db.exec(savepoint === undefined ? 'BEGIN' : `SAVEPOINT ${savepoint}`);
        depth++;
        try {
          fn(...args);
          depth--;
          db.exec(savepoint === undefined ? 'COMMIT' : `RELEASE ${savepoint}`);
        } catch (error) {
          depth--;
          db.exec(savepoint === undefined ? 'ROLLBACK' : `ROLLBACK TO ${savepoint}; RELEASE ${savepoint}`);
          throw error;
        }
      },
    close: () => db.close(),
  };
}

const PRIMARY_CODES: Readonly<Record<number, string>> = { 3: 'SQLITE_PERM', 5: 'SQLITE_BUSY', 8: 'SQLITE_READONLY', 10: 'SQLITE_IOERR', 11: 'SQLITE_CORRUPT', 13: 'SQLITE_FULL', 14: 'SQLITE_CANTOPEN', 19: 'SQLITE_CONSTRAINT', 26: 'SQLITE_NOTADB' };

/** SQLite's error code of an error from either driver (`SQLITE_NOTADB`), or undefined for another error. */
export function sqliteCode(error: unknown): string | undefined {
  const e = error as { code?: unknown; errcode?: unknown } | null;
  if (typeof e?.code === 'string' && e.code.startsWith('SQLITE_')) return e.code;
  if (typeof e?.errcode === 'number') return PRIMARY_CODES[e.errcode & 0xff] ?? `SQLITE_ERROR_${e.errcode}`;
  return undefined;
}
