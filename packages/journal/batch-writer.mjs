// Inserting a batch of journal rows: shared by the writer thread and the inline writer. Plain JavaScript at the
// package root, beside the worker that loads it at run time.

/** Rows per multi-row INSERT: one statement call binds many rows, which is where most of an insert's time went. */
const CHUNK = 32;

/**
 * Returns `write(tables, rows)`, which inserts `rows[i]` into `tables[i]` for every i in one transaction. Rows are
 * grouped by table (their order across tables does not matter: each carries its own sequence number).
 */
export function createBatchWriter(db, columnsByTable) {
  const statements = new Map();
  const statement = (table, count) => {
    const key = `${table}:${count}`;
    let s = statements.get(key);
    if (s === undefined) {
      const row = `(${Array(columnsByTable[table]).fill('?').join(',')})`;
      s = db.prepare(`INSERT INTO ${table} VALUES ${Array(count).fill(row).join(',')}`);
      statements.set(key, s);
    }
    return s;
  };
  return db.transaction((tables, rows) => {
    const byTable = new Map();
    for (let i = 0; i < rows.length; i++) {
      const list = byTable.get(tables[i]);
      if (list === undefined) byTable.set(tables[i], [rows[i]]);
      else list.push(rows[i]);
    }
    for (const [table, list] of byTable) {
      let i = 0;
      if (list.length >= CHUNK) {
        const many = statement(table, CHUNK);
        for (; i + CHUNK <= list.length; i += CHUNK) many.run(list.slice(i, i + CHUNK).flat());
      }
      if (i < list.length) {
        const one = statement(table, 1);
        for (; i < list.length; i++) one.run(list[i]);
      }
    }
  });
}
