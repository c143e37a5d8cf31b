import { dirname, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import type { EventBus } from '@trading-orchestrator/core-manager';
import Database from 'better-sqlite3';
import { EVENT_TABLES, SCHEMA, SCHEMA_VERSION, type EventTable } from './schema.js';

export interface RunRow {
  readonly id: number;
  readonly label: string;
  readonly mode: string;
  readonly startedAt: number;
  readonly endedAt: number | null;
  readonly status: string;
  readonly summary: unknown;
}

export interface TradeRow {
  readonly strategyId: string;
  readonly symbol: string;
  readonly direction: string;
  readonly quantity: number;
  readonly entryTime: number;
  readonly exitTime: number;
  readonly pnl: number;
  readonly fees: number;
}

export interface EquityRow {
  readonly time: number;
  readonly strategyId: string;
  readonly equity: number;
}

/** A journal that cannot be opened or used, with what to do about it. */
export class JournalError extends Error {
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(message);
  }
}

type Row = readonly unknown[];

const INSERTS: Readonly<Record<EventTable, string>> = {
  signals: 'INSERT INTO signals VALUES (?,?,?,?,?,?,?,?,?,?)',
  risk_decisions: 'INSERT INTO risk_decisions VALUES (?,?,?,?,?,?,?,?,?,?,?)',
  risk_verdicts: 'INSERT INTO risk_verdicts VALUES (?,?,?,?,?,?,?,?,?)',
  orders: 'INSERT INTO orders VALUES (?,?,?,?,?,?,?,?,?,?,?,?)',
  fills: 'INSERT INTO fills VALUES (?,?,?,?,?,?,?,?,?)',
  positions: 'INSERT INTO positions VALUES (?,?,?,?,?,?,?,?,?)',
  trades: 'INSERT INTO trades VALUES (?,?,?,?,?,?,?,?,?,?)',
  equity: 'INSERT INTO equity VALUES (?,?,?,?,?)',
  risk_events: 'INSERT INTO risk_events VALUES (?,?,?,?,?,?,?,?)',
};

/**
 * The run journal: an embedded SQLite database in WAL mode. Events from the bus are buffered and written in one
 * transaction per `batchSize` rows (and on `flush`), so the per-bar path only appends to an array.
 */
export class Journal {
  private readonly db: Database.Database;
  private readonly statements: Record<EventTable, Database.Statement>;
  private readonly buffer: { table: EventTable; row: Row }[] = [];
  private readonly writeBatch: (rows: readonly { table: EventTable; row: Row }[]) => void;
  private sequence = 0;

  private constructor(
    readonly path: string,
    private readonly batchSize: number,
  ) {
    const dir = dirname(resolve(path));
    if (!existsSync(dir)) throw new JournalError(`cannot open the journal ${path}: folder ${dir} does not exist`, `create the folder, or choose another path with --journal`);
    try {
      this.db = new Database(path);
    } catch (error) {
      throw new JournalError(`cannot open the journal ${path}: ${(error as Error).message}`, 'choose a writable path with --journal');
    }
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version === 0) {
      this.db.exec(SCHEMA);
      this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
    } else if (version !== SCHEMA_VERSION) {
      this.db.close();
      throw new JournalError(`the journal ${path} has schema version ${version}; this version of trading-orchestrator reads version ${SCHEMA_VERSION}`, 'use a new journal file, or the trading-orchestrator version that wrote this one');
    }
    this.statements = Object.fromEntries(EVENT_TABLES.map((t) => [t, this.db.prepare(INSERTS[t])])) as Record<EventTable, Database.Statement>;
    this.writeBatch = this.db.transaction((rows: readonly { table: EventTable; row: Row }[]) => {
      for (const r of rows) this.statements[r.table].run(...r.row);
    });
  }

  static open(path: string, options: { batchSize?: number } = {}): Journal {
    return new Journal(path, options.batchSize ?? 2_000);
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

  /** Records the bus's events for a run until the returned function is called. */
  attach(bus: EventBus, runId: number): () => void {
    const add = (table: EventTable, row: Row) => {
      this.buffer.push({ table, row: [runId, ++this.sequence, ...row] });
      if (this.buffer.length >= this.batchSize) this.flush();
    };
    const off = [
      bus.subscribe('signal', (e) => add('signals', [e.signal.time ?? 0, e.strategyId, e.signal.symbol, e.signal.side, e.signal.strength, e.shadow ? 1 : 0, e.signal.reason ?? null, JSON.stringify(e.signal)])),
      bus.subscribe('risk-decision', (e) => {
        const d = e.decision;
        add('risk_decisions', [e.intent.time, e.intent.id, e.intent.strategyId, e.intent.symbol, e.pluginId, d.action, d.action === 'allow' ? null : d.code, d.action === 'allow' ? null : d.message, d.action === 'resize' ? d.quantity : null]);
      }),
      bus.subscribe('risk-verdict', (e) => add('risk_verdicts', [e.intent.time, e.intent.id, e.approved ? 1 : 0, e.quantity, e.deniedBy ?? null, e.code ?? null, e.message ?? null])),
      bus.subscribe('order', (o) => add('orders', [o.id, o.updatedAt, o.strategyId, o.symbol, o.side, o.type, o.quantity, o.status, o.reason ?? null, JSON.stringify(o)])),
      bus.subscribe('fill', (f) => add('fills', [f.orderId, f.time, f.symbol, f.side, f.quantity, f.price, f.fee])),
      bus.subscribe('position', (p) => add('positions', [p.openedAt, p.symbol, p.quantity, p.averagePrice, p.marketPrice, p.realizedPnl, p.unrealizedPnl])),
      bus.subscribe('trade', (t) => add('trades', [t.strategyId, t.symbol, t.direction, t.quantity, t.entryTime, t.exitTime, t.pnl, t.fees])),
      bus.subscribe('equity', (e) => add('equity', [e.time, e.strategyId ?? '', e.equity])),
      bus.subscribe('risk', (e) => add('risk_events', [e.time, e.pluginId, e.level, e.code, e.message, e.symbol ?? null])),
    ];
    return () => {
      for (const o of off) o();
      this.flush();
    };
  }

  /**
   * Writes what is buffered and the run's checkpoint (one per run, replaced) in one transaction, so after a crash
   * the recorded events and the state to resume from agree.
   */
  checkpoint(runId: number, time: number, state: unknown): void {
    const save = this.db.prepare('INSERT OR REPLACE INTO checkpoints (run_id, time, state) VALUES (?, ?, ?)');
    this.db.transaction(() => {
      this.writeBatch(this.buffer);
      save.run(runId, time, JSON.stringify(state));
    })();
    this.buffer.length = 0;
  }

  latestCheckpoint(runId: number): { time: number; state: unknown } | undefined {
    const row = this.db.prepare('SELECT time, state FROM checkpoints WHERE run_id = ?').get(runId) as { time: number; state: string } | undefined;
    return row === undefined ? undefined : { time: row.time, state: JSON.parse(row.state) as unknown };
  }

  /** The newest run with this label and mode still marked running: its process died without finishing it. */
  unfinishedRun(label: string, mode: string): RunRow | undefined {
    return this.listRuns().filter((r) => r.label === label && r.mode === mode && r.status === 'running').at(-1);
  }

  /** Marks an unfinished run as running in this process; its events continue after the last one recorded. */
  resumeRun(runId: number): void {
    this.flush();
    const max = EVENT_TABLES.map((t) => (this.db.prepare(`SELECT MAX(seq) AS seq FROM ${t} WHERE run_id = ?`).get(runId) as { seq: number | null }).seq ?? 0);
    this.sequence = Math.max(this.sequence, ...max);
    this.db.prepare("UPDATE runs SET status = 'running', ended_at = NULL WHERE id = ?").run(runId);
  }

  /** Writes everything buffered in one transaction. */
  flush(): void {
    if (this.buffer.length === 0) return;
    this.writeBatch(this.buffer);
    this.buffer.length = 0;
  }

  listRuns(): RunRow[] {
    return (this.db.prepare('SELECT id, label, mode, started_at, ended_at, status, summary FROM runs ORDER BY id').all() as Record<string, unknown>[]).map((r) => ({
      id: r.id as number,
      label: r.label as string,
      mode: r.mode as string,
      startedAt: r.started_at as number,
      endedAt: (r.ended_at as number | null) ?? null,
      status: r.status as string,
      summary: r.summary === null ? null : JSON.parse(r.summary as string),
    }));
  }

  hasRun(runId: number): boolean {
    return this.db.prepare('SELECT 1 FROM runs WHERE id = ?').get(runId) !== undefined;
  }

  trades(runId: number): TradeRow[] {
    return this.db
      .prepare('SELECT strategy_id AS strategyId, symbol, direction, quantity, entry_time AS entryTime, exit_time AS exitTime, pnl, fees FROM trades WHERE run_id = ? ORDER BY seq')
      .all(runId) as TradeRow[];
  }

  /** The account's curve (strategyId '') or one strategy's. */
  equity(runId: number, strategyId = ''): EquityRow[] {
    return this.db.prepare('SELECT time, strategy_id AS strategyId, equity FROM equity WHERE run_id = ? AND strategy_id = ? ORDER BY seq').all(runId, strategyId) as EquityRow[];
  }

  /** Rows per table for a run. */
  counts(runId: number): Record<EventTable, number> {
    return Object.fromEntries(EVENT_TABLES.map((t) => [t, (this.db.prepare(`SELECT COUNT(*) AS n FROM ${t} WHERE run_id = ?`).get(runId) as { n: number }).n])) as Record<EventTable, number>;
  }

  close(): void {
    this.flush();
    this.db.close();
  }
}
