const IGNORED_SIGNALS = `CREATE TABLE ignored_signals (run_id INTEGER NOT NULL, seq INTEGER NOT NULL, time INTEGER NOT NULL, strategy_id TEXT NOT NULL,
  symbol TEXT NOT NULL, side TEXT NOT NULL, code TEXT NOT NULL, message TEXT NOT NULL, PRIMARY KEY (run_id, seq)) WITHOUT ROWID;
`;

const TRIALS = `CREATE TABLE trials (run_id INTEGER NOT NULL, window INTEGER NOT NULL, seq INTEGER NOT NULL, params TEXT NOT NULL, status TEXT NOT NULL,
  score REAL, metrics TEXT, returns TEXT, elapsed_ms REAL NOT NULL, error TEXT, PRIMARY KEY (run_id, window, seq)) WITHOUT ROWID;
`;

const PLUGIN_EVENTS = `CREATE TABLE plugin_events (run_id INTEGER NOT NULL, seq INTEGER NOT NULL, time INTEGER NOT NULL, plugin_id TEXT NOT NULL,
  kind TEXT NOT NULL, code TEXT NOT NULL, message TEXT NOT NULL, PRIMARY KEY (run_id, seq)) WITHOUT ROWID;
`;

/**
 * Bumped with every change below, with the statements that upgrade a journal of the version before in
 * `MIGRATIONS`. A journal of a newer version than this one is refused with a message, never altered.
 */
export const SCHEMA_VERSION = 6;

/**
 * Event tables are WITHOUT ROWID: their rows live in the (run_id, seq) key's tree, not in a table plus an index of
 * that key, which took a third of a journal's bytes. Journals created before keep their layout; the columns and
 * queries are the same.
 */
export const SCHEMA = `
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  label TEXT NOT NULL,
  mode TEXT NOT NULL,
  config TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  ended_at INTEGER,
  status TEXT NOT NULL,
  summary TEXT
);
CREATE TABLE signals (run_id INTEGER NOT NULL, seq INTEGER NOT NULL, time INTEGER NOT NULL, strategy_id TEXT NOT NULL, symbol TEXT NOT NULL,
  side TEXT NOT NULL, strength REAL NOT NULL, shadow INTEGER NOT NULL, reason TEXT, payload TEXT NOT NULL, PRIMARY KEY (run_id, seq)) WITHOUT ROWID;
CREATE TABLE risk_decisions (run_id INTEGER NOT NULL, seq INTEGER NOT NULL, time INTEGER NOT NULL, intent_id TEXT NOT NULL, strategy_id TEXT NOT NULL,
  symbol TEXT NOT NULL, plugin_id TEXT NOT NULL, action TEXT NOT NULL, code TEXT, message TEXT, quantity REAL, PRIMARY KEY (run_id, seq)) WITHOUT ROWID;
CREATE TABLE risk_verdicts (run_id INTEGER NOT NULL, seq INTEGER NOT NULL, time INTEGER NOT NULL, intent_id TEXT NOT NULL, approved INTEGER NOT NULL,
  quantity REAL NOT NULL, denied_by TEXT, code TEXT, message TEXT, PRIMARY KEY (run_id, seq)) WITHOUT ROWID;
CREATE TABLE orders (run_id INTEGER NOT NULL, seq INTEGER NOT NULL, order_id TEXT NOT NULL, time INTEGER NOT NULL, strategy_id TEXT NOT NULL,
  symbol TEXT NOT NULL, side TEXT NOT NULL, type TEXT NOT NULL, quantity REAL NOT NULL, status TEXT NOT NULL, reason TEXT, payload TEXT NOT NULL,
  PRIMARY KEY (run_id, seq)) WITHOUT ROWID;
CREATE TABLE fills (run_id INTEGER NOT NULL, seq INTEGER NOT NULL, order_id TEXT NOT NULL, time INTEGER NOT NULL, symbol TEXT NOT NULL,
  side TEXT NOT NULL, quantity REAL NOT NULL, price REAL NOT NULL, fee REAL NOT NULL, trade_id TEXT, PRIMARY KEY (run_id, seq)) WITHOUT ROWID;
CREATE TABLE positions (run_id INTEGER NOT NULL, seq INTEGER NOT NULL, time INTEGER NOT NULL, symbol TEXT NOT NULL, quantity REAL NOT NULL,
  average_price REAL NOT NULL, market_price REAL NOT NULL, realized_pnl REAL NOT NULL, unrealized_pnl REAL NOT NULL, PRIMARY KEY (run_id, seq)) WITHOUT ROWID;
CREATE TABLE trades (run_id INTEGER NOT NULL, seq INTEGER NOT NULL, strategy_id TEXT NOT NULL, symbol TEXT NOT NULL, direction TEXT NOT NULL,
  quantity REAL NOT NULL, entry_time INTEGER NOT NULL, exit_time INTEGER NOT NULL, pnl REAL NOT NULL, fees REAL NOT NULL, exit_reason TEXT,
  PRIMARY KEY (run_id, seq)) WITHOUT ROWID;
CREATE TABLE equity (run_id INTEGER NOT NULL, seq INTEGER NOT NULL, time INTEGER NOT NULL, strategy_id TEXT NOT NULL, equity REAL NOT NULL,
  PRIMARY KEY (run_id, seq)) WITHOUT ROWID;
CREATE TABLE checkpoints (run_id INTEGER PRIMARY KEY, time INTEGER NOT NULL, state TEXT NOT NULL, seq INTEGER);
CREATE TABLE risk_events (run_id INTEGER NOT NULL, seq INTEGER NOT NULL, time INTEGER NOT NULL, plugin_id TEXT NOT NULL, level TEXT NOT NULL,
  code TEXT NOT NULL, message TEXT NOT NULL, symbol TEXT, PRIMARY KEY (run_id, seq)) WITHOUT ROWID;
${IGNORED_SIGNALS}${PLUGIN_EVENTS}${TRIALS}`;

/**
 * Each schema change as the statements that bring a journal of the version before up to it: a journal written by an
 * earlier version is upgraded in place when opened, never refused.
 */
export const MIGRATIONS: Readonly<Record<number, string>> = {
  // 3: why each trade closed, and the signals the engine did not act on.
  3: `ALTER TABLE trades ADD COLUMN exit_reason TEXT;
${IGNORED_SIGNALS}`,
  // 4: what went wrong with plugins: hook failures, refused bars, breaker trips, dropped events.
  4: PLUGIN_EVENTS,
  // 5: an optimisation's trials, one row each, so an interrupted sweep resumes without running them again.
  5: TRIALS,
  // 6: a venue's trade id on each fill (a live session books each once), and the last event a checkpoint covers.
  6: `ALTER TABLE fills ADD COLUMN trade_id TEXT;
ALTER TABLE checkpoints ADD COLUMN seq INTEGER;`,
};

/** Tables with per-run rows, in the order `counts` reports them. */
export const EVENT_TABLES = ['signals', 'risk_decisions', 'risk_verdicts', 'orders', 'fills', 'positions', 'trades', 'equity', 'risk_events', 'ignored_signals', 'plugin_events'] as const;
export type EventTable = (typeof EVENT_TABLES)[number];
