import { JournalError, unreadable } from './journal-error.js';
import { dirname, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import type { EventBus } from '@trading-orchestrator/core-manager';
import { createBatchWriter } from './batch-writer.js';
import { configureConnection } from './connection.js';
import { openSqlite, sqliteCode, type SqliteConnection } from './sqlite/connection.js';
import { WriterThread } from './writer-thread.js';
import { recordBus, type RecordOptions } from './bus-recorder.js';
import { EVENT_TABLES, MIGRATIONS, SCHEMA, SCHEMA_VERSION, type EventTable } from './schema.js';
import type { DailyReturns, EquityRow, FillRow, IgnoredSignalRow, PluginEventRow, RunRow, TradeRow, TrialRow } from './journal-rows.js';

export type { DailyReturns, EquityRow, FillRow, IgnoredSignalRow, PluginEventRow, RunRow, TradeRow, TrialRow } from './journal-rows.js';


/** Whether a journal of `version` can be brought up to this version by `MIGRATIONS`. */
function upgradable(version: number): boolean {
  if (version >= SCHEMA_VERSION) return false;
  for (let v = version + 1; v <= SCHEMA_VERSION; v++) if (MIGRATIONS[v] === undefined) return false;
  return true;
}

type Row = readonly unknown[];

const finiteOrNull = (x: number | null): number | null => (x !== null && Number.isFinite(x) ? x : null);


/** Columns per event table, run id and sequence number included. */
const COLUMNS: Readonly<Record<EventTable, number>> = {
  signals: 10,
  risk_decisions: 11,
  risk_verdicts: 9,
  orders: 12,
  fills: 10,
  positions: 9,
  trades: 11,
  equity: 5,
  risk_events: 8,
  ignored_signals: 8,
  plugin_events: 7,
};

/**
 * The run journal: an embedded SQLite database in WAL mode. Events from the bus are buffered and handed to a
 * writer thread every `batchSize` rows, which inserts each batch in one transaction: the per-bar path appends to
 * an array, and the inserts run on the other core. Reads, checkpoints and `flush` first wait for the writer, so
 * they see everything handed over. (`writer: 'inline'` writes on the calling thread instead.)
 */
export class Journal {
  private readonly db: SqliteConnection;
  private tables: EventTable[] = [];
  private rows: Row[] = [];
  private readonly writeBatch: (tables: readonly EventTable[], rows: readonly Row[]) => void;
  private readonly writer: WriterThread | undefined;
  private closed = false;
  private sequence = 0;
  /** What attached recorders hold back (a thinned curve's open day), written with each checkpoint. */
  private readonly beforeCheckpoint = new Set<() => void>();

  private constructor(
    readonly path: string,
    private readonly batchSize: number,
    writer: 'thread' | 'inline',
  ) {
    const dir = dirname(resolve(path));
    if (!existsSync(dir)) throw new JournalError(`cannot open the journal ${path}: folder ${dir} does not exist`, `create the folder, or choose another path with --journal`, 'JOURNAL_NOT_WRITABLE', path);
    try {
      this.db = openSqlite(path);
    } catch (error) {
      throw unreadable(path, error);
    }
    let version: number;
    try {
      configureConnection(this.db);
      version = Number(this.db.pragma('user_version'));
    } catch (error) {
      this.db.close();
      throw unreadable(path, error);
    }
    if (version === 0 && (this.db.prepare("SELECT COUNT(*) AS n FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'").get() as { n: number }).n > 0) {
      // Someone else's database: creating the journal's tables in it would change a file that is not ours.
      this.db.close();
      throw new JournalError(`${path} is an SQLite database but not a trading-orchestrator journal; it was left untouched`, 'name another file for the journal (--journal runs.db)', 'JOURNAL_NOT_A_JOURNAL', path);
    }
    if (version === 0) {
      this.db.exec(SCHEMA);
      this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
    } else if (version !== SCHEMA_VERSION && !upgradable(version)) {
      this.db.close();
      throw new JournalError(`the journal ${path} has schema version ${version}; this version of trading-orchestrator reads version ${SCHEMA_VERSION}`, 'use a new journal file, or the trading-orchestrator version that wrote this one', 'JOURNAL_VERSION', path);
    } else if (version < SCHEMA_VERSION) {
      // An earlier version's journal: upgraded in place, in one transaction, keeping every run it holds.
      this.db.transaction(() => {
        for (let v = version + 1; v <= SCHEMA_VERSION; v++) this.db.exec(MIGRATIONS[v]!);
        this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
      })();
    }
    this.writeBatch = createBatchWriter(this.db, COLUMNS);
    if (writer === 'thread') this.writer = new WriterThread(path, COLUMNS);
  }

  static open(path: string, options: { batchSize?: number; writer?: 'thread' | 'inline' } = {}): Journal {
    return new Journal(path, options.batchSize ?? 2_000, options.writer ?? 'thread');
  }

  /**
   * Resolves once the writer thread has opened the database, and rejects if it could not. Awaited before a run
   * starts, it takes the thread's start-up (a V8 isolate and SQLite, about 17 MB and some tens of ms) out of the
   * run, and a journal that cannot be written fails before the first bar rather than at its first batch.
   */
  async ready(): Promise<void> {
    await this.writer?.ready();
  }

  /** Records a run and returns its id. `startedAt` is wall-clock time. */
  startRun(run: { label: string; mode: string; config: unknown; startedAt: number }): number {
    const info = this.db.prepare('INSERT INTO runs (label, mode, config, started_at, status) VALUES (?, ?, ?, ?, ?)').run(run.label, run.mode, JSON.stringify(run.config), run.startedAt, 'running');
    return Number(info.lastInsertRowid);
  }

  finishRun(runId: number, outcome: { status: 'finished' | 'failed' | 'interrupted'; endedAt: number; summary?: unknown }): void {
    this.flush();
    this.db.prepare('UPDATE runs SET status = ?, ended_at = ?, summary = ? WHERE id = ?').run(outcome.status, outcome.endedAt, outcome.summary === undefined ? null : JSON.stringify(outcome.summary), runId);
  }

  /**
   * Records the bus's events for a run until the returned function is called. What is kept of each kind is in
   * `recordBus`; `options.equity` chooses every equity point or a thinned curve (the default).
   */
  attach(bus: EventBus, runId: number, options: RecordOptions = {}): () => void {
    const recorder = recordBus(
      bus,
      (table, row) => {
        this.tables.push(table);
        this.rows.push([runId, ++this.sequence, ...row]);
        if (this.rows.length >= this.batchSize) this.handOver();
      },
      options,
    );
    this.beforeCheckpoint.add(recorder.flush);
    return () => {
      recorder.stop();
      this.beforeCheckpoint.delete(recorder.flush);
      this.flush();
    };
  }

  /**
   * Writes what is buffered and the run's checkpoint (one per run, replaced) in one transaction, so after a crash
   * the recorded events and the state to resume from agree.
   */
  checkpoint(runId: number, time: number, state: unknown): void {
    for (const flush of this.beforeCheckpoint) flush();
    this.settle();
    const save = this.db.prepare('INSERT OR REPLACE INTO checkpoints (run_id, time, state, seq) VALUES (?, ?, ?, ?)');
    this.db.transaction(() => {
      this.writeBatch(this.tables, this.rows);
      save.run(runId, time, JSON.stringify(state), this.sequence);
    })();
    this.tables = [];
    this.rows = [];
  }

  latestCheckpoint(runId: number): { time: number; state: unknown } | undefined {
    return this.read('its checkpoints', () => {
      this.settle();
      const row = this.db.prepare('SELECT time, state FROM checkpoints WHERE run_id = ?').get(runId) as { time: number; state: string } | undefined;
      return row === undefined ? undefined : { time: row.time, state: JSON.parse(row.state) as unknown };
    });
  }

  /** The newest run with this label and mode still marked running: its process died without finishing it. */
  unfinishedRun(label: string, mode: string): RunRow | undefined {
    return this.listRuns().filter((r) => r.label === label && r.mode === mode && r.status === 'running').at(-1);
  }

  /** The config a run was started with, as `startRun` was given it. */
  runConfig(runId: number): unknown {
    return this.read('its runs', () => {
      const row = this.db.prepare('SELECT config FROM runs WHERE id = ?').get(runId) as { config: string } | undefined;
      return row === undefined ? undefined : (JSON.parse(row.config) as unknown);
    });
  }

  /**
   * Marks an unfinished run as running in this process; its events continue after the last one recorded. The
   * trading events written after its last checkpoint are set aside: the resumed session starts from that checkpoint
   * and records them again as it replays its bars and books the venue's fills, so none is recorded twice. What
   * plugins and people did (`plugin_events`) is kept whole.
   */
  resumeRun(runId: number): void {
    this.flush();
    const covered = (this.db.prepare('SELECT seq FROM checkpoints WHERE run_id = ?').get(runId) as { seq: number | null } | undefined)?.seq;
    if (covered !== undefined && covered !== null) {
      this.db.transaction(() => {
        for (const t of EVENT_TABLES) if (t !== 'plugin_events') this.db.prepare(`DELETE FROM ${t} WHERE run_id = ? AND seq > ?`).run(runId, covered);
      })();
    }
    const max = EVENT_TABLES.map((t) => (this.db.prepare(`SELECT MAX(seq) AS seq FROM ${t} WHERE run_id = ?`).get(runId) as { seq: number | null }).seq ?? 0);
    this.sequence = Math.max(this.sequence, ...max);
    this.db.prepare("UPDATE runs SET status = 'running', ended_at = NULL WHERE id = ?").run(runId);
  }

  /** Writes everything buffered, and returns when it is written. */
  flush(): void {
    this.handOver();
    this.settle();
  }

  listRuns(): RunRow[] {
    return this.read('its runs', () => {
      this.settle();
      return (this.db.prepare('SELECT id, label, mode, started_at, ended_at, status, summary FROM runs ORDER BY id').all() as Record<string, unknown>[]).map((r) => ({
        id: r.id as number,
        label: r.label as string,
        mode: r.mode as string,
        startedAt: r.started_at as number,
        endedAt: (r.ended_at as number | null) ?? null,
        status: r.status as string,
        summary: r.summary === null ? null : JSON.parse(r.summary as string),
      }));
    });
  }

  hasRun(runId: number): boolean {
    return this.read('its runs', () => {
      this.settle();
      return this.db.prepare('SELECT 1 FROM runs WHERE id = ?').get(runId) !== undefined;
    });
  }

  trades(runId: number): TradeRow[] {
    return this.read('the trades', () => {
      this.settle();
      return this.db
        .prepare('SELECT strategy_id AS strategyId, symbol, direction, quantity, entry_time AS entryTime, exit_time AS exitTime, pnl, fees, exit_reason AS exitReason FROM trades WHERE run_id = ? ORDER BY seq')
        .all(runId) as TradeRow[];
    });
  }

  /** A run's fills in the order they were booked. */
  fills(runId: number): FillRow[] {
    return this.read('the fills', () => {
      this.settle();
      const strategyOf = new Map((this.db.prepare('SELECT order_id AS orderId, strategy_id AS strategyId FROM orders WHERE run_id = ? ORDER BY seq').all(runId) as { orderId: string; strategyId: string }[]).reverse().map((o) => [o.orderId, o.strategyId]));
      const rows = this.db.prepare('SELECT order_id AS orderId, time, symbol, side, quantity, price, fee, trade_id AS tradeId FROM fills WHERE run_id = ? ORDER BY seq').all(runId) as Omit<FillRow, 'strategyId'>[];
      // A bracket's exit fills under its entry's id with a suffix (`ma-3:stop`).
      return rows.map((r) => ({ ...r, strategyId: strategyOf.get(r.orderId) ?? strategyOf.get(r.orderId.split(':')[0]!) ?? '' }));
    });
  }

  /** The signals of a run the engine did not act on, in order, with the reason for each. */
  ignoredSignals(runId: number): IgnoredSignalRow[] {
    return this.read('the ignored signals', () => {
      this.settle();
      return this.db.prepare('SELECT time, strategy_id AS strategyId, symbol, side, code, message FROM ignored_signals WHERE run_id = ? ORDER BY seq').all(runId) as IgnoredSignalRow[];
    });
  }

  /** What went wrong with plugins in a run, in order: hook failures, refused bars, breaker trips, dropped events. */
  pluginEvents(runId: number): PluginEventRow[] {
    return this.read('the plugin events', () => {
      this.settle();
      return this.db.prepare('SELECT time, plugin_id AS pluginId, kind, code, message FROM plugin_events WHERE run_id = ? ORDER BY seq').all(runId) as PluginEventRow[];
    });
  }

  /** The account's curve (strategyId '') or one strategy's. */
  equity(runId: number, strategyId = ''): EquityRow[] {
    return this.read('the equity', () => {
      this.settle();
      return this.db.prepare('SELECT time, strategy_id AS strategyId, equity FROM equity WHERE run_id = ? AND strategy_id = ? ORDER BY time, seq').all(runId, strategyId) as EquityRow[];
    });
  }

  /** Writes one finished trial at once, so a sweep killed after it never runs it again. */
  recordTrial(runId: number, trial: TrialRow): void {
    this.db
      .prepare('INSERT OR REPLACE INTO trials (run_id, window, seq, params, status, score, metrics, returns, elapsed_ms, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(runId, trial.window, trial.seq, JSON.stringify(trial.params), trial.status, finiteOrNull(trial.score), JSON.stringify(trial.metrics ?? null), trial.returns === null ? null : JSON.stringify(trial.returns), trial.elapsedMs, trial.error);
  }

  /** An optimisation run's trials, by window and order. */
  trials(runId: number): TrialRow[] {
    return this.read('the trials', () =>
      (this.db.prepare('SELECT window, seq, params, status, score, metrics, returns, elapsed_ms, error FROM trials WHERE run_id = ? ORDER BY window, seq').all(runId) as Record<string, unknown>[]).map((r) => ({
        window: r.window as number,
        seq: r.seq as number,
        params: JSON.parse(r.params as string) as Record<string, unknown>,
        status: r.status as string,
        score: (r.score as number | null) ?? null,
        metrics: JSON.parse((r.metrics as string | null) ?? 'null') as unknown,
        returns: r.returns === null ? null : (JSON.parse(r.returns as string) as DailyReturns),
        elapsedMs: r.elapsed_ms as number,
        error: (r.error as string | null) ?? null,
      })),
    );
  }

  /** Rows per table for a run. */
  counts(runId: number): Record<EventTable, number> {
    return this.read('the row counts', () => {
      this.settle();
      return Object.fromEntries(EVENT_TABLES.map((t) => [t, (this.db.prepare(`SELECT COUNT(*) AS n FROM ${t} WHERE run_id = ?`).get(runId) as { n: number }).n])) as Record<EventTable, number>;
    });
  }

  /** A read; SQLite finds damage only on the pages it reads, so a damaged journal fails here, as a JournalError. */
  private read<T>(what: string, query: () => T): T {
    try {
      return query();
    } catch (error) {
      if (error instanceof JournalError) throw error;
      if (sqliteCode(error) !== undefined || error instanceof SyntaxError) {
        throw new JournalError(`the journal ${this.path} could not be read (${what}): ${(error as Error).message}; it was left as it was`, 'keep a copy; `sqlite3 <file> .recover` may save its runs; name a new file for the next run (--journal runs.db)', 'JOURNAL_DAMAGED', this.path);
      }
      throw error;
    }
  }

  /** Writes what is buffered, waits for the writer thread to close its connection, and closes the journal. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.flush();
    } finally {
      this.writer?.close();
      this.db.close();
    }
  }

  /** Sends the buffered rows to be written: to the writer thread, or straight to the database with `writer: 'inline'`. */
  private handOver(): void {
    if (this.rows.length === 0) return;
    const writer = this.writer;
    if (writer === undefined) {
      this.writeBatch(this.tables, this.rows);
      this.tables.length = 0;
      this.rows.length = 0;
      return;
    }
    writer.post(this.tables, this.rows);
    this.tables = [];
    this.rows = [];
  }

  /** Waits until the writer thread has written everything handed over; throws what it failed on. */
  private settle(): void {
    this.writer?.settle();
  }
}
