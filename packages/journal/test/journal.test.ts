import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBus, PluginManager, type LoadablePlugin } from '@trading-orchestrator/core-manager';
import { BacktestEngine, paperBroker } from '@trading-orchestrator/engine';
import { generateUniverse } from '@trading-orchestrator/market-data';
import type { PluginDefinition } from '@trading-orchestrator/plugin-api';
import { riskGuards } from '@trading-orchestrator/risk-guards';
import { bollingerReversion } from '@trading-orchestrator/strategy-bollinger';
import { maCrossover } from '@trading-orchestrator/strategy-ma-crossover';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Journal, SCHEMA_VERSION, toCsv, type RecordOptions } from '../src/index.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'to-journal-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const builtIn = (id: string, definition: PluginDefinition): LoadablePlugin => ({ id, kind: definition.kind, version: '1.0.0', packageName: id, packageDir: '.', manifest: undefined, definition });

async function backtestInto(journal: Journal, options: RecordOptions = {}) {
  const manager = new PluginManager({ log: () => {} });
  await manager.load([
    { plugin: builtIn('ma', maCrossover as PluginDefinition), config: { fast: 10, slow: 30 } },
    { plugin: builtIn('bands', bollingerReversion as PluginDefinition), config: {} },
    { plugin: builtIn('guards', riskGuards as PluginDefinition), config: { lossStreak: { losses: 2, cooldownBars: 20 } } },
    { plugin: builtIn('paper', paperBroker as PluginDefinition), config: {} },
  ]);
  await manager.start();
  const runId = journal.startRun({ label: 'test', mode: 'backtest', config: { seed: 3 }, startedAt: 1 });
  const detach = journal.attach(manager.bus, runId, options);
  const engine = new BacktestEngine({
    manager,
    brokerId: 'paper',
    riskIds: ['guards'],
    strategies: [
      { instanceId: 'ma', allocation: 0.5, sizing: { method: 'fixed-fraction', fraction: 0.5, maxPositionFraction: 1 } },
      { instanceId: 'bands', allocation: 0.5, shadow: false, sizing: { method: 'strategy-hint', defaultFraction: 0.2, maxPositionFraction: 1 } },
    ],
    capital: 100_000,
    periodsPerYear: 8_760,
  });
  const fills: number[] = [];
  manager.bus.subscribe('fill', () => fills.push(1));
  const result = await engine.run(generateUniverse(['ALPHA', 'BETA'], { timeframe: '1h', count: 2_000, seed: 3, volatility: 0.6 }));
  detach();
  journal.finishRun(runId, { status: 'finished', endedAt: 2, summary: { equity: result.portfolio.equity } });
  await manager.shutdown();
  return { runId, result, fills: fills.length };
}

describe('journal', () => {
  it('records a run: trades, equity, fills, orders, signals and risk decisions, matching what the engine produced', async () => {
    const journal = Journal.open(join(dir, 'runs.db'));
    const { runId, result, fills } = await backtestInto(journal, { equity: 'every-bar' });
    const trades = result.strategies.flatMap((s) => s.trades);
    expect(journal.trades(runId).length).toBe(trades.length);
    expect(journal.trades(runId).map((t) => t.pnl).reduce((a, b) => a + b, 0)).toBeCloseTo(trades.reduce((a, t) => a + t.pnl, 0), 6);
    expect(journal.equity(runId).map((e) => e.equity)).toEqual(result.equity.map((e) => e.equity));
    expect(journal.equity(runId, 'ma').length).toBe(result.equity.length);
    const counts = journal.counts(runId);
    expect(counts.fills).toBe(fills);
    expect(counts.signals).toBe(result.strategies.reduce((s, x) => s + x.signals, 0));
    expect(counts.risk_verdicts).toBeGreaterThan(0);
    expect(counts.risk_decisions).toBeGreaterThan(0);
    expect(counts.orders).toBeGreaterThan(0);
    expect(journal.listRuns()).toEqual([{ id: runId, label: 'test', mode: 'backtest', startedAt: 1, endedAt: 2, status: 'finished', summary: { equity: result.portfolio.equity } }]);
    journal.close();
  }, 60_000);

  it('by default keeps equity thinned (every point the full curve has, far fewer of them) and payloads without what the columns hold', async () => {
    const full = Journal.open(join(dir, 'full.db'), { writer: 'inline' });
    const thinned = Journal.open(join(dir, 'thinned.db'), { writer: 'inline' });
    const a = await backtestInto(full, { equity: 'every-bar' });
    const b = await backtestInto(thinned);
    for (const curve of ['', 'ma', 'bands']) {
      const every = new Map(full.equity(a.runId, curve).map((e) => [e.time, e.equity]));
      const kept = thinned.equity(b.runId, curve);
      expect(kept.length).toBeLessThan(every.size / 2);
      for (const e of kept) expect(e.equity).toBe(every.get(e.time));
      // The last point is the run's final equity.
      expect(kept.at(-1)).toEqual(full.equity(a.runId, curve).at(-1));
    }
    expect(thinned.counts(b.runId)).toMatchObject({ ...full.counts(a.runId), equity: thinned.counts(b.runId).equity });
    const reader = new Database(join(dir, 'thinned.db'), { readonly: true });
    // An order's first row: its fields beyond the columns, not its signal, not what is at its default; its fill's
    // row: what changed.
    const firstId = (reader.prepare('SELECT order_id AS id FROM orders ORDER BY seq LIMIT 1').get() as { id: string }).id;
    const rows = (reader.prepare('SELECT status, payload FROM orders WHERE order_id = ? ORDER BY seq').all(firstId) as { status: string; payload: string }[]).map((r) => ({ status: r.status, payload: JSON.parse(r.payload) as Record<string, unknown> }));
    expect(rows[0]!.payload).not.toHaveProperty('signal');
    expect(rows[0]!.payload).not.toHaveProperty('symbol');
    expect(rows[0]!.payload).not.toHaveProperty('filledQuantity');
    expect(rows[0]!.payload).toHaveProperty('referencePrice');
    const filled = rows.find((r) => r.status === 'filled')!;
    expect(Object.keys(filled.payload).sort()).toEqual(['averageFillPrice', 'filledQuantity']);
    const signal = JSON.parse((reader.prepare('SELECT payload FROM signals LIMIT 1').get() as { payload: string }).payload) as Record<string, unknown>;
    expect(signal).not.toHaveProperty('side');
    expect(signal).toHaveProperty('timeframe');
    reader.close();
    full.close();
    thinned.close();
  }, 60_000);

  it('keeps a hundred ignored signals of a kind per strategy one by one, then one row saying more followed', () => {
    const journal = Journal.open(join(dir, 'ignored.db'), { writer: 'inline' });
    const bus = new EventBus();
    const runId = journal.startRun({ label: 'x', mode: 'backtest', config: {}, startedAt: 0 });
    const detach = journal.attach(bus, runId);
    const signal = { symbol: 'X', side: 'sell' as const, strength: 1 };
    for (let i = 0; i < 5_000; i++) bus.publish('signal-ignored', { time: i, strategyId: 'noisy', signal, code: 'NOTHING_TO_EXIT', message: 'nothing held to exit' });
    bus.publish('signal-ignored', { time: 5_000, strategyId: 'noisy', signal, code: 'WARMING_UP', message: 'warming up' });
    detach();
    const rows = journal.ignoredSignals(runId);
    expect(rows.filter((r) => r.code === 'NOTHING_TO_EXIT')).toHaveLength(101);
    expect(rows[100]!.message).toBe('more of these follow and are not kept one by one (after 100)');
    expect(rows.at(-1)).toMatchObject({ code: 'WARMING_UP', message: 'warming up' });
    journal.close();
  });

  it('is in WAL mode; full batches are written in the background, readable by another connection while the run goes on', async () => {
    const path = join(dir, 'wal.db');
    const journal = Journal.open(path, { batchSize: 10 });
    const bus = new EventBus();
    const runId = journal.startRun({ label: 'live', mode: 'paper', config: {}, startedAt: 0 });
    journal.attach(bus, runId, { equity: 'every-bar' });
    for (let i = 0; i < 25; i++) bus.publish('equity', { time: i, equity: 1_000 + i });
    const reader = new Database(path, { readonly: true });
    expect(reader.pragma('journal_mode', { simple: true })).toBe('wal');
    // The writer thread starts and opens the file on its own schedule: on a loaded machine that can take seconds.
    await vi.waitFor(() => expect((reader.prepare('SELECT COUNT(*) AS n FROM equity').get() as { n: number }).n).toBe(20), { timeout: 30_000, interval: 20 });
    journal.flush();
    expect((reader.prepare('SELECT COUNT(*) AS n FROM equity').get() as { n: number }).n).toBe(25);
    reader.close();
    journal.close();
  });

  it('the writer thread and the inline writer record the same rows', async () => {
    const [threaded, inline] = [Journal.open(join(dir, 'thread.db'), { batchSize: 7 }), Journal.open(join(dir, 'inline.db'), { batchSize: 7, writer: 'inline' })];
    const a = await backtestInto(threaded);
    const b = await backtestInto(inline);
    expect(threaded.counts(a.runId)).toEqual(inline.counts(b.runId));
    expect(threaded.trades(a.runId)).toEqual(inline.trades(b.runId));
    expect(threaded.equity(a.runId, 'bands')).toEqual(inline.equity(b.runId, 'bands'));
    threaded.close();
    inline.close();
  }, 60_000);

  it('a write the database refuses is reported with the reason, not lost in silence', () => {
    const path = join(dir, 'refused.db');
    const journal = Journal.open(path, { batchSize: 5 });
    const bus = new EventBus();
    const runId = journal.startRun({ label: 'x', mode: 'backtest', config: {}, startedAt: 0 });
    journal.attach(bus, runId, { equity: 'every-bar' });
    // Another program takes the sequence number the journal is about to use.
    const other = new Database(path);
    other.prepare('INSERT INTO equity VALUES (?, ?, ?, ?, ?)').run(runId, 3, 0, '', 1);
    other.close();
    for (let i = 0; i < 5; i++) bus.publish('equity', { time: i, equity: 1_000 + i });
    const refused = /^the journal .*refused\.db failed to record events: UNIQUE constraint failed: equity\.run_id, equity\.seq$/;
    expect(() => journal.flush()).toThrow(refused);
    // Broken stays broken: closing says so again (and still closes).
    expect(() => journal.close()).toThrow(refused);
  });

  it('ready: resolves when the writer thread has opened the journal, and rejects, before any event, when it cannot', async () => {
    const good = Journal.open(join(dir, 'good.db'));
    await expect(good.ready()).resolves.toBeUndefined();
    good.close();
    const inline = Journal.open(join(dir, 'inline.db'), { writer: 'inline' });
    await expect(inline.ready()).resolves.toBeUndefined();
    inline.close();
    // The folder goes away between the journal's own connection and its thread's (which takes milliseconds to start).
    const folder = mkdtempSync(join(dir, 'gone-'));
    const orphan = Journal.open(join(folder, 'j.db'));
    rmSync(folder, { recursive: true });
    await expect(orphan.ready()).rejects.toThrow(/^the journal .*gone-.*j\.db could not be opened for writing: .*directory does not exist/);
    expect(() => orphan.close()).toThrow(/failed to record events/);
  });

  it('once closed, the writer thread has let go of the files: the folder can be removed at once', () => {
    for (let i = 0; i < 10; i++) {
      const folder = mkdtempSync(join(dir, 'closing-'));
      const journal = Journal.open(join(folder, 'j.db'), { batchSize: 3 });
      const bus = new EventBus();
      journal.attach(bus, journal.startRun({ label: 'x', mode: 'backtest', config: {}, startedAt: 0 }));
      for (let t = 0; t < 10; t++) bus.publish('equity', { time: t, equity: 1 });
      journal.close();
      rmSync(folder, { recursive: true });
    }
  }, 60_000);

  it('refuses a missing folder or a journal of another schema version, saying what to do', () => {
    expect(() => Journal.open(join(dir, 'nope', 'x.db'))).toThrow(`cannot open the journal ${join(dir, 'nope', 'x.db')}: folder ${join(dir, 'nope')} does not exist`);
    const path = join(dir, 'future.db');
    const db = new Database(path);
    db.pragma('user_version = 99');
    db.close();
    expect(() => Journal.open(path)).toThrow(`the journal ${path} has schema version 99; this version of trading-orchestrator reads version ${SCHEMA_VERSION}`);
  });

  it('refuses a file that is not a journal and leaves it as it was: text, another program\'s SQLite database, a damaged journal', () => {
    const notes = join(dir, 'notes.db');
    writeFileSync(notes, 'shopping list: eggs, milk\n'.repeat(200));
    const before = readFileSync(notes);
    expect(() => Journal.open(notes)).toThrow(expect.objectContaining({ code: 'JOURNAL_NOT_SQLITE', path: notes, message: `${notes} is not a trading-orchestrator journal (not an SQLite database); it was left untouched` }));
    expect(readFileSync(notes).equals(before)).toBe(true);

    const other = join(dir, 'other.db');
    const db = new Database(other);
    db.exec('CREATE TABLE contacts (name TEXT)');
    db.close();
    expect(() => Journal.open(other)).toThrow(expect.objectContaining({ code: 'JOURNAL_NOT_A_JOURNAL', fix: 'name another file for the journal (--journal runs.db)' }));
    const reopened = new Database(other, { readonly: true });
    expect(reopened.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all()).toEqual([{ name: 'contacts' }]);
    reopened.close();

    const damaged = join(dir, 'damaged.db');
    Journal.open(damaged, { writer: 'inline' }).close();
    const bytes = readFileSync(damaged);
    bytes.fill(0x5a, 100, 4096);
    writeFileSync(damaged, bytes);
    expect(() => Journal.open(damaged)).toThrow(expect.objectContaining({ code: expect.stringMatching(/^JOURNAL_(DAMAGED|NOT_SQLITE)$/) }));
  });

  it('upgrades a journal written by an earlier version in place, keeping its runs', () => {
    const path = join(dir, 'v2.db');
    const db = new Database(path);
    db.exec(readFileSync(new URL('./fixtures/schema-v2.sql', import.meta.url), 'utf8'));
    db.pragma('user_version = 2');
    db.prepare("INSERT INTO runs (label, mode, config, started_at, status) VALUES ('old', 'backtest', '{}', 1, 'finished')").run();
    db.prepare("INSERT INTO trades VALUES (1, 1, 'ma', 'SPY', 'long', 10, 1, 2, 12.5, 0.5)").run();
    db.close();
    const journal = Journal.open(path, { writer: 'inline' });
    try {
      expect(journal.listRuns().map((r) => r.label)).toEqual(['old']);
      expect(journal.trades(1)).toEqual([{ strategyId: 'ma', symbol: 'SPY', direction: 'long', quantity: 10, entryTime: 1, exitTime: 2, pnl: 12.5, fees: 0.5, exitReason: null }]);
      expect(journal.ignoredSignals(1)).toEqual([]);
      expect(journal.trials(1)).toEqual([]);
    } finally {
      journal.close();
    }
    const reopened = new Database(path, { readonly: true });
    expect(reopened.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    reopened.close();
  });

  it('keeps an optimisation\'s trials as they finish, with the config its run started with', () => {
    const path = join(dir, 'sweep.db');
    const journal = Journal.open(path);
    try {
      const config = { run: { symbols: ['SPY'] }, space: [['ma.fast', { type: 'int', min: 2, max: 9 }]] };
      const runId = journal.startRun({ label: 'run.yaml', mode: 'optimize', config, startedAt: 1 });
      const ok = { window: 0, seq: 0, params: { 'ma.fast': 3 }, status: 'ok', score: 1.25, metrics: { sharpe: 1.25, profitFactor: 'Infinity' }, returns: { days: [18000, 18001], values: [0.01, -0.002] }, elapsedMs: 12.5, error: null };
      const failed = { window: 0, seq: 1, params: { 'ma.fast': 9 }, status: 'failed', score: null, metrics: null, returns: null, elapsedMs: 3, error: 'the data plugin failed' };
      journal.recordTrial(runId, failed);
      journal.recordTrial(runId, ok);
      // Infinity has no place in SQLite's REAL for a score: it is kept as null.
      journal.recordTrial(runId, { ...ok, window: 1, score: Number.POSITIVE_INFINITY });
      expect(journal.trials(runId)).toEqual([ok, failed, { ...ok, window: 1, score: null }]);
      expect(journal.runConfig(runId)).toEqual(config);
    } finally {
      journal.close();
    }
  });

  it('exports rows as CSV, quoting what needs quoting', () => {
    expect(toCsv([{ a: 1, b: 'x,y' }, { a: 2, b: 'say "hi"' }], ['a', 'b'])).toBe('a,b\n1,"x,y"\n2,"say ""hi"""\n');
  });
});

describe('checkpoints and resuming a run', () => {
  it('keeps one checkpoint per run, written with the buffered events, and resumes the sequence after the last event', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'to-journal-')), 'j.db');
    const bus = new EventBus();
    const first = Journal.open(path);
    const runId = first.startRun({ label: 'paper.yaml', mode: 'paper', config: {}, startedAt: 1 });
    const detach = first.attach(bus, runId);
    bus.publish('equity', { time: 10, equity: 100 });
    first.checkpoint(runId, 10, { cash: 1 });
    bus.publish('equity', { time: 20, equity: 101 });
    first.checkpoint(runId, 20, { cash: 2 });
    // The process dies here: no detach, no finishRun.
    void detach;
    const second = Journal.open(path);
    expect(second.unfinishedRun('paper.yaml', 'paper')?.id).toBe(runId);
    expect(second.unfinishedRun('paper.yaml', 'backtest')).toBeUndefined();
    expect(second.latestCheckpoint(runId)).toEqual({ time: 20, state: { cash: 2 } });
    second.resumeRun(runId);
    const again = second.attach(bus, runId);
    bus.publish('equity', { time: 30, equity: 102 });
    again();
    second.finishRun(runId, { status: 'finished', endedAt: 2 });
    expect(second.equity(runId).map((e) => e.equity)).toEqual([100, 101, 102]);
    expect(second.unfinishedRun('paper.yaml', 'paper')).toBeUndefined();
    second.close();
  });

  it('sets aside the trading events written after the last checkpoint, which the resumed session records again, and keeps what plugins and people did', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'to-journal-')), 'j.db');
    const bus = new EventBus();
    // Every row goes to disk at once, as a large bar's rows do when they fill a batch before its checkpoint.
    const first = Journal.open(path, { batchSize: 1 });
    const runId = first.startRun({ label: 'live.yaml', mode: 'live', config: {}, startedAt: 1 });
    first.attach(bus, runId);
    const fill = { orderId: 'ma-1', symbol: 'BTC/USDT', side: 'buy' as const, quantity: 0.5, price: 100, fee: 0.05, time: 10, liquidity: 'taker' as const, tradeId: '7' };
    bus.publish('fill', fill);
    first.checkpoint(runId, 10, { n: 1 });
    bus.publish('fill', { ...fill, orderId: 'ma-2', tradeId: '8', time: 20 });
    bus.publish('control', { time: 21, action: 'halt', origin: 'ctl from 127.0.0.1' });
    first.flush();
    // Killed: the second fill is on disk, but the checkpoint does not cover it.
    const second = Journal.open(path);
    second.resumeRun(runId);
    const resumed = new EventBus();
    second.attach(resumed, runId);
    resumed.publish('fill', { ...fill, orderId: 'ma-2', tradeId: '8', time: 20 });
    second.finishRun(runId, { status: 'finished', endedAt: 2 });
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT order_id AS orderId, trade_id AS tradeId FROM fills ORDER BY seq').all()).toEqual([{ orderId: 'ma-1', tradeId: '7' }, { orderId: 'ma-2', tradeId: '8' }]);
    expect(db.prepare("SELECT COUNT(*) AS n FROM plugin_events WHERE kind = 'control'").get()).toEqual({ n: 1 });
    db.close();
    second.close();
  });
});
