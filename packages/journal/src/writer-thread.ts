import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { JournalError } from './journal-error.js';
import type { WriterData, WriterMessage } from './writer-worker.js';

/** How long `settle` waits for the writer thread before it declares the journal broken. */
const WRITER_TIMEOUT_MS = 120_000;
/** Batches handed to the writer and not yet written, beyond which the run's thread waits: memory stays bounded. */
const MAX_BATCHES_IN_FLIGHT = 4;
/** Bytes of a writer failure's message kept in shared memory. */
const MESSAGE_BYTES = 4_096;

/** The writer thread's script: built beside this module; from the sources (under test), the build's. */
function writerScript(): URL {
  const beside = new URL('./writer-worker.js', import.meta.url);
  return existsSync(fileURLToPath(beside)) ? beside : new URL('../dist/writer-worker.js', import.meta.url);
}

/**
 * The journal's writer thread and the memory it shares with the run's thread: batches go over by message, and the
 * thread counts what it has written in shared memory, so the run's thread can wait for the writes (`settle`)
 * without an event loop turn.
 */
export class WriterThread {
  private readonly worker: Worker;
  /** [batches written, failed (0 or 1), length of the failure's message] */
  private readonly state: Int32Array;
  /** The failure's message, UTF-8. */
  private readonly text: Uint8Array;
  /** Messages handed over, the opening included. */
  private posted = 1;
  /** Settles when the thread has tried to open the database; with why it died, if it died first. */
  private readonly started: Promise<string | undefined>;
  private died: string | undefined;

  constructor(
    private readonly path: string,
    columns: Readonly<Record<string, number>>,
  ) {
    const progress = new SharedArrayBuffer(12 + MESSAGE_BYTES);
    const workerData: WriterData = { path: resolve(path), columns, progress };
    // The writer holds one batch at a time: a small young generation keeps its heap (and the run's RSS) small;
    // with V8's default it added about 20 MB to a ten-million-bar run, for no speed.
    this.worker = new Worker(writerScript(), { workerData, resourceLimits: { maxYoungGenerationSizeMb: 4 } });
    // An idle writer must not keep the process alive; `close` ends it.
    this.worker.unref();
    // The worker reports its failures in shared memory; this only catches it dying some other way.
    this.worker.on('error', (error) => (this.died = error.message));
    this.started = new Promise<string | undefined>((settle) => {
      this.worker.once('message', () => settle(undefined));
      this.worker.once('error', (error) => settle(error.message));
      this.worker.once('exit', (code) => settle(`it exited with code ${code}`));
    });
    this.state = new Int32Array(progress, 0, 3);
    this.text = new Uint8Array(progress, 12);
  }

  /** Resolves once the thread has opened the database; rejects with a JournalError if it could not. */
  async ready(): Promise<void> {
    if (Atomics.load(this.state, 0) === 0) {
      // An unref'd thread does not keep the process alive by itself; while it starts, it must.
      this.worker.ref();
      let died: string | undefined;
      let timer: NodeJS.Timeout | undefined;
      try {
        const timedOut = new Promise<string>((settle) => (timer = setTimeout(() => settle(`it did not start within ${WRITER_TIMEOUT_MS / 1000} s`), WRITER_TIMEOUT_MS)));
        died = await Promise.race([this.started, timedOut]);
      } finally {
        clearTimeout(timer);
        this.worker.unref();
      }
      if (died !== undefined) throw new JournalError(`the journal ${this.path} has no writer thread: ${died}`, 'reinstall @trading-orchestrator/journal (its dist/writer-worker.js must be present), or open the journal with writer: "inline"', 'JOURNAL_WRITER', this.path);
    }
    if (Atomics.load(this.state, 1) !== 0) {
      throw new JournalError(`the journal ${this.path} could not be opened for writing: ${this.failure()}`, 'check that the file and its folder are there and writable, then start the run again; nothing was recorded in this run yet', 'JOURNAL_NOT_WRITABLE', this.path);
    }
  }

  /** Hands a batch over. Back-pressure: a writer that falls behind slows the run down instead of piling batches up in memory. */
  post(tables: readonly string[], rows: readonly (readonly unknown[])[]): void {
    this.settle(MAX_BATCHES_IN_FLIGHT - 1);
    this.worker.postMessage({ tables, rows } satisfies WriterMessage);
    this.posted++;
  }

  /** Waits until at most `pending` batches handed over are unwritten; throws what the writer failed on. */
  settle(pending = 0, report = true): void {
    const started = Date.now();
    for (;;) {
      const written = Atomics.load(this.state, 0);
      if (this.posted - written <= pending) break;
      if (this.died !== undefined) throw new JournalError(`the journal ${this.path} lost its writer thread: ${this.died}`, 'events since the last checkpoint are lost; the run can be resumed from that checkpoint', 'JOURNAL_WRITER', this.path);
      if (Date.now() - started > WRITER_TIMEOUT_MS) {
        throw new JournalError(`the journal ${this.path} stopped writing: ${this.posted - written} batches of events were not written within ${WRITER_TIMEOUT_MS / 1000} s`, 'check that the disk is not full or the file locked by another program; the run can be resumed from its last checkpoint', 'JOURNAL_WRITER', this.path);
      }
      Atomics.wait(this.state, 0, written, 1_000);
    }
    if (report && Atomics.load(this.state, 1) !== 0) {
      throw new JournalError(`the journal ${this.path} failed to record events: ${this.failure()}`, 'check that the disk is not full and the file is writable; events since the last checkpoint are lost, and the run can be resumed from that checkpoint', 'JOURNAL_WRITER', this.path);
    }
  }

  /** Asks the thread to close its connection and waits until it has: the caller may delete the folder next. */
  close(): void {
    this.worker.postMessage({ close: true } satisfies WriterMessage);
    this.posted++;
    this.settle(0, false);
  }

  /** What the thread failed on, as it wrote it in shared memory. */
  private failure(): string {
    return new TextDecoder().decode(this.text.slice(0, Atomics.load(this.state, 2)));
  }
}
