export { KEPT_PER_KIND, type RecordOptions } from './bus-recorder.js';
export type { EquityDetail } from './equity-thinning.js';
export { Journal, type DailyReturns, type EquityRow, type FillRow, type IgnoredSignalRow, type PluginEventRow, type RunRow, type TradeRow, type TrialRow } from './journal.js';
export { JournalError } from './journal-error.js';
export { toCsv } from './csv.js';
export { EVENT_TABLES, SCHEMA_VERSION, type EventTable } from './schema.js';
export { sqliteDriver, type SqliteDriver } from './sqlite/connection.js';
