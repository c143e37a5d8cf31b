import type { SqliteConnection, SqliteStatement } from './sqlite/connection.js';

/** Inserts `rows[i]` into the table `tables[i]`, for every i, in one transaction. */
export type BatchWriter = (tables: readonly string[], rows: readonly (readonly unknown[])[]) => void;

/** Rows per multi-row INSERT: one statement call binds many rows, which is where most of an insert's time went. */
const CHUNK = 32;

/**
 * The batch writer of the writer thread and of the inline writer. Rows are grouped by table (their order across
 * tables does not matter: each carries its own sequence number).
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
  return db.transaction((tables: readonly string[], rows: readonly (readonly unknown[])[]) => {
    const byTable = new Map<string, (readonly unknown[])[]>();
    for (let i = 0; i < rows.length; i++) {
      const list = byTable.get(tables[i]!);
      if (list === undefined) byTable.set(tables[i]!, [rows[i]!]);
      else list.push(rows[i]!);
    }
    for (const [table, list] of byTable) {
      let i = 0;
      if (list.length >= CHUNK) {
        const many = statement(table, CHUNK);
        for (; i + CHUNK <= list.length; i += CHUNK) many.run(list.slice(i, i + CHUNK).flat());
      }
      if (i < list.length) {
        const one = statement(table, 1);
        for (; i < list.length; i++) one.run(list[i]!);
      }
    }
  });
}
