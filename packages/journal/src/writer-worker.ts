// The journal's writer thread (built to dist/writer-worker.js): inserts the batches the run's thread hands over,
// each in one transaction, and counts them in shared memory so that thread can wait for the writes
// (Journal.settle) without an event loop turn.
import { parentPort, workerData } from 'node:worker_threads';
import { openSqlite, type SqliteConnection } from './sqlite/connection.js';
import { createBatchWriter, type BatchWriter } from './batch-writer.js';
import { configureConnection } from './connection.js';

/** What the journal hands the thread. */
export interface WriterData {
  readonly path: string;
  readonly columns: Readonly<Record<string, number>>;
  readonly progress: SharedArrayBuffer;
}

/** A batch to write, or the request to close. */
export type WriterMessage = { readonly close: true } | { readonly close?: undefined; readonly tables: readonly string[]; readonly rows: readonly (readonly unknown[])[] };

const port = parentPort!;
const { path, columns, progress } = workerData as WriterData;
/** [messages handled, failed (0 or 1), length of the failure's message], then the message as UTF-8. */
const state = new Int32Array(progress, 0, 3);
const text = new Uint8Array(progress, 12);

/** Records the first failure where the run's thread reads it; later batches are acknowledged unwritten. */
function fail(error: unknown): void {
  if (Atomics.load(state, 1) !== 0) return;
  const { written } = new TextEncoder().encodeInto(error instanceof Error ? error.message : String(error), text);
  Atomics.store(state, 2, written);
  Atomics.store(state, 1, 1);
}

function acknowledge(): void {
  Atomics.add(state, 0, 1);
  Atomics.notify(state, 0);
}

let db: SqliteConnection | undefined;
let write: BatchWriter | undefined;
try {
  db = openSqlite(path);
  configureConnection(db);
  write = createBatchWriter(db, columns);
} catch (error) {
  fail(error);
}
// The opening counts as the first message handled: `Journal.ready` waits for it, and reads a failure as one to open.
acknowledge();
port.postMessage('opened');

port.on('message', (message: WriterMessage) => {
  if (message.close === true) {
    try {
      db?.close();
    } catch (error) {
      fail(error);
    }
    acknowledge();
    port.close();
    return;
  }
  if (Atomics.load(state, 1) === 0) {
    try {
      write!(message.tables, message.rows);
    } catch (error) {
      fail(error);
    }
  }
  acknowledge();
});
