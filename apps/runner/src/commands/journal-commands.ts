import type { Journal as JournalType } from '@trading-orchestrator/journal';
import { formatTable } from '../format/table.js';

type JournalModule = typeof import('@trading-orchestrator/journal');

export const JOURNAL_PACKAGE = '@trading-orchestrator/journal';

/** The journal package, when installed (it is an optional peer: it builds SQLite from source). */
export async function loadJournalModule(): Promise<JournalModule | undefined> {
  try {
    return (await import(JOURNAL_PACKAGE)) as JournalModule;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') return undefined;
    throw error;
  }
}

const iso = (t: number | null) => (t === null ? '-' : new Date(t).toISOString().replace('.000Z', 'Z'));

export function renderRuns(journal: JournalType): string {
  const runs = journal.listRuns();
  if (runs.length === 0) return `no runs in ${journal.path}`;
  return formatTable(
    ['ID', 'LABEL', 'MODE', 'STATUS', 'STARTED', 'ENDED', 'EQUITY'],
    runs.map((r) => [String(r.id), r.label, r.mode, r.status, iso(r.startedAt), iso(r.endedAt), (r.summary as { equity?: number } | null)?.equity?.toFixed(2) ?? '-']),
  );
}

export type ExportWhat = 'trades' | 'equity' | 'ignored' | 'problems' | 'trials';

export function exportRun(journal: JournalType, toCsv: JournalModule['toCsv'], runId: number, what: ExportWhat, format: 'csv' | 'json', strategyId: string | undefined): { ok: boolean; text: string } {
  if (!journal.hasRun(runId)) return { ok: false, text: `no run ${runId} in ${journal.path}; trading-orchestrator journal list shows the runs` };
  if (what === 'trades') {
    const rows = journal.trades(runId).filter((t) => strategyId === undefined || t.strategyId === strategyId);
    return { ok: true, text: format === 'json' ? `${JSON.stringify(rows, null, 2)}\n` : toCsv(rows, ['strategyId', 'symbol', 'direction', 'quantity', 'entryTime', 'exitTime', 'pnl', 'fees', 'exitReason']) };
  }
  if (what === 'ignored') {
    const rows = journal.ignoredSignals(runId).filter((t) => strategyId === undefined || t.strategyId === strategyId);
    return { ok: true, text: format === 'json' ? `${JSON.stringify(rows, null, 2)}\n` : toCsv(rows, ['time', 'strategyId', 'symbol', 'side', 'code', 'message']) };
  }
  if (what === 'trials') {
    // One row per trial of an optimisation run: its window (0 outside walk-forward; a window's test is trial -1), each
    // searched setting as a column, and what it measured; daily returns only in JSON.
    const trials = journal.trials(runId);
    if (format === 'json') return { ok: true, text: `${JSON.stringify(trials, null, 2)}\n` };
    const settings = [...new Set(trials.flatMap((t) => Object.keys(t.params)))];
    const measures = [...new Set(trials.flatMap((t) => (t.metrics !== null && typeof t.metrics === 'object' ? Object.keys(t.metrics) : [])))];
    const rows = trials.map((t): Record<string, unknown> => ({ window: t.window, trial: t.seq + 1, status: t.status, score: t.score, ...t.params, ...(t.metrics as Record<string, unknown> | null), elapsedMs: Math.round(t.elapsedMs), reason: t.error }));
    return { ok: true, text: toCsv(rows, ['window', 'trial', 'status', 'score', ...settings, ...measures, 'elapsedMs', 'reason']) };
  }
  if (what === 'problems') {
    const rows = journal.pluginEvents(runId).filter((e) => strategyId === undefined || e.pluginId === strategyId);
    return { ok: true, text: format === 'json' ? `${JSON.stringify(rows, null, 2)}\n` : toCsv(rows, ['time', 'pluginId', 'kind', 'code', 'message']) };
  }
  const rows = journal.equity(runId, strategyId ?? '');
  return { ok: true, text: format === 'json' ? `${JSON.stringify(rows, null, 2)}\n` : toCsv(rows, ['time', 'strategyId', 'equity']) };
}
