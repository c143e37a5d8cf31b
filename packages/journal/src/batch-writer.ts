import type { SqliteConnection, SqliteStatement } from './sqlite/connection.js';

/** Inserts `rows[i]` into the table `tables[i]`, for every i, in one transaction. */
export type BatchWriter = (tables: readonly string[], rows: readonly (readonly unknown[])[]) => void;

/** Rows per multi-row INSERT: one statement call binds many rows, which is where most of an insert's time went. */
const CHUNK = 32;

/** One table's rows waiting for their INSERT, their values laid end to end in a parameter list kept for the writer's life. */
interface Pending {
  readonly width: number;
  readonly params: unknown[];
  rows: number;
}

/**
 * The batch writer of the writer thread and of the inline writer. Each row's values are copied into its table's
 * parameter list, and every `CHUNK` rows of a table go in one INSERT; what is left of each table at the end of the
 * batch goes in one more. Rows of different tables may be inserted in another order than they came: each carries its
 * own sequence number.
 */
export function createBatchWriter(db: SqliteConnection, columnsByTable: Readonly<Record<string, number>>): BatchWriter {
  const statements = new Map<string, SqliteStatement>();
  const statement = (table: string, count: number): SqliteStatement => {
    const key = `${table}:${count}`;
    let s = statements.get(key);
    if (s === undefined) {
      const row = `(${Array<string>(columnsByTable[table]!).fill('?').join(',')})`;
      s = db.prepare(`INSERT INTO ${table} VALUES ${Array<string>(count).fill(row).join(',')}`);
      statements.set(key, s);
    }
    return s;
  };
  const pending = new Map<string, Pending>();
  const pendingOf = (table: string): Pending => {
    let p = pending.get(table);
    if (p === undefined) {
      const width = columnsByTable[table]!;
      pending.set(table, (p = { width, params: new Array<unknown>(CHUNK * width), rows: 0 }));
    }
    return p;
  };
  return db.transaction((tables: readonly string[], rows: readonly (readonly unknown[])[]) => {
    // A batch that failed part way (and was rolled back) leaves nothing behind for the next.
    for (const p of pending.values()) p.rows = 0;
    let lastTable: string | undefined;
    let p: Pending | undefined;
    for (let i = 0; i < rows.length; i++) {
      const table = tables[i]!;
      if (table !== lastTable) {
        p = pendingOf(table);
        lastTable = table;
      }
      const row = rows[i]!;
      const { width, params } = p!;
      const at = p!.rows * width;
      for (let c = 0; c < width; c++) params[at + c] = row[c];
      if (++p!.rows === CHUNK) {
        statement(table, CHUNK).run(params);
        p!.rows = 0;
      }
    }
    for (const [table, rest] of pending) {
      if (rest.rows === 0) continue;
      statement(table, rest.rows).run(rest.params.slice(0, rest.rows * rest.width));
      rest.rows = 0;
    }
  });
}
