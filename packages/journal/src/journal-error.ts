import { sqliteCode } from './sqlite/connection.js';

/** Why SQLite could not read `path`, in words: a file that is not a journal is left untouched. */
export function unreadable(path: string, error: unknown): JournalError {
  if ((error as { code?: unknown }).code === 'JOURNAL_NO_SQLITE') return new JournalError((error as Error).message, (error as { fix: string }).fix, 'JOURNAL_NO_SQLITE', path);
  if ((error as { code?: unknown }).code === 'ERR_DLOPEN_FAILED') {
    return new JournalError(`the journal's SQLite library cannot load in this Node (${process.version}): ${(error as Error).message.split('\n')[0]}`, 'npm rebuild better-sqlite3 (it was built for another Node), or use Node 22.13 or later, which has SQLite built in', 'JOURNAL_NO_SQLITE', path);
  }
  const code = sqliteCode(error);
  if (code === 'SQLITE_NOTADB') return new JournalError(`${path} is not a trading-orchestrator journal (not an SQLite database); it was left untouched`, 'name another file for the journal (--journal runs.db), or move this one aside', 'JOURNAL_NOT_SQLITE', path);
  if (code === 'SQLITE_CORRUPT') return new JournalError(`the journal ${path} is damaged (${(error as Error).message})`, 'keep a copy, then name a new file for the journal (--journal runs.db); `sqlite3 <file> .recover` may save its runs', 'JOURNAL_DAMAGED', path);
  if (code === 'SQLITE_READONLY' || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_PERM') return new JournalError(`cannot write the journal ${path} (${(error as Error).message})`, 'make the file and its folder writable, or name another file (--journal runs.db)', 'JOURNAL_NOT_WRITABLE', path);
  return new JournalError(`cannot open the journal ${path}: ${(error as Error).message}`, 'name another file for the journal (--journal runs.db)', 'JOURNAL_UNUSABLE', path);
}

/** A journal that cannot be opened or used, with what to do about it. */
export class JournalError extends Error {
  override readonly name = 'JournalError';
  constructor(
    message: string,
    readonly fix: string,
    /** What is wrong, for programs: JOURNAL_NOT_SQLITE, JOURNAL_NOT_A_JOURNAL, JOURNAL_DAMAGED, JOURNAL_NOT_WRITABLE, JOURNAL_VERSION, JOURNAL_WRITER, JOURNAL_NO_SQLITE, JOURNAL_UNUSABLE. */
    readonly code: string = 'JOURNAL_UNUSABLE',
    /** The journal file. */
    readonly path?: string,
  ) {
    super(message);
  }
}
