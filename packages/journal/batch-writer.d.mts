import type Database from 'better-sqlite3';

export function createBatchWriter(db: Database.Database, columnsByTable: Readonly<Record<string, number>>): (tables: readonly string[], rows: readonly (readonly unknown[])[]) => void;
