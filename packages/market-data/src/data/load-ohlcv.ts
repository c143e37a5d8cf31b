import { readFileSync } from 'node:fs';
import { checkBar, type Bar, type Timeframe } from '@trading-orchestrator/plugin-api';
import { splitFields } from './csv-fields.js';
import { detectLayout, LayoutError, type OhlcvField } from './csv-layout.js';
import { parseTimeIn } from './zoned-time.js';

export interface OhlcvLoadOptions {
  readonly timeframe: Timeframe;
  /** Symbol for files without a symbol column; with one, keeps only that symbol's rows. */
  readonly symbol?: string;
  /** Column holding base-asset volume, when the file has several volume columns. */
  readonly volumeColumn?: string;
  /** Field separator: `,`, `;`, a tab or `|`. Default: the one the header is found with. */
  readonly delimiter?: string;
  /** Decimal mark of the numbers: `.` (default) or `,` (`1234,5` in a file separated by semicolons). */
  readonly decimal?: '.' | ',';
  /**
   * Header names of the fields, for a header the loader does not recognise by itself (it knows `open`, `o`,
   * `Open Price`, `AAPL.Open`, `date`, `timestamp`, `t` and the like), e.g. `{ time: 'Datum', close: 'Schluss' }`.
   */
  readonly columns?: { readonly [F in OhlcvField]?: string | undefined };
  /**
   * IANA time zone of clock times written without an offset, e.g. `America/New_York` (default UTC). Epoch numbers
   * and times with an offset are absolute; a date without a time is a day, at UTC midnight.
   */
  readonly timeZone?: string;
}

export interface RowProblem {
  /** 1-based line in the file. */
  readonly line: number;
  readonly message: string;
}

export interface LoadedBars {
  /** Ascending by time (then symbol), one bar per symbol and time. */
  readonly bars: Bar[];
  /** Rows that were skipped, and why. */
  readonly problems: RowProblem[];
  /** Rows that were read with something worth saying (more fields than the header). */
  readonly warnings: RowProblem[];
  readonly symbols: string[];
}

/** Sorts ascending, drops duplicate (symbol, time) rows keeping the first, and lists the symbols. */
export function normaliseBars(rows: { bar: Bar; line: number }[], problems: RowProblem[], warnings: RowProblem[] = []): LoadedBars {
  rows.sort((a, b) => a.bar.time - b.bar.time || (a.bar.symbol < b.bar.symbol ? -1 : a.bar.symbol > b.bar.symbol ? 1 : a.line - b.line));
  const bars: Bar[] = [];
  const seen = new Set<string>();
  for (const { bar, line } of rows) {
    const key = `${bar.symbol}@${bar.time}`;
    if (seen.has(key)) {
      problems.push({ line, message: `duplicate bar for ${bar.symbol} at ${new Date(bar.time).toISOString()} dropped` });
      continue;
    }
    seen.add(key);
    bars.push(bar);
  }
  problems.sort((a, b) => a.line - b.line);
  return { bars, problems, warnings, symbols: [...new Set(bars.map((b) => b.symbol))].sort() };
}

/** Extra fields reported one by one; past this many, the count is all that grows. */
const WARNINGS_KEPT = 100;

/**
 * Reads OHLCV rows from CSV text in the layouts found in the wild: preamble lines before the header, an unnamed
 * index column (row numbers beside a date column, or the dates themselves, as pandas writes both), prefixed or
 * short column names (`AAPL.Open`, `Open Price`, `t,o,h,l,c,v`), other separators (`;`, tab, `|`) and decimal
 * commas, a symbol column (long format), descending dates, several volume columns, headerless Binance klines.
 * Rows that break the bar contract are skipped and reported; a row with more fields than the header is read and
 * warned about. A file that cannot be read as bars at all throws an Error that says what is missing.
 */
export function parseOhlcvCsv(text: string, options: OhlcvLoadOptions): LoadedBars {
  const lines = text.split(/\r?\n|\r/);
  const layout = detectLayout(lines, options);
  if (layout.symbol === undefined && options.symbol === undefined) {
    throw new LayoutError('this file has no symbol column: pass the symbol in the options');
  }
  const rows: { bar: Bar; line: number }[] = [];
  const problems: RowProblem[] = [];
  const warnings: RowProblem[] = [];
  let wide = 0;
  const wanted = options.symbol === undefined ? undefined : symbolKey(options.symbol);
  const otherSymbols = new Set<string>();
  const decimalComma = options.decimal === ',';
  for (let i = layout.headerLine + 1; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw.trim() === '') continue;
    const c = splitFields(raw, layout.delimiter);
    if (layout.width > 0 && c.length > layout.width) {
      wide++;
      if (warnings.length < WARNINGS_KEPT) warnings.push({ line: i + 1, message: `${c.length} fields where the header has ${layout.width}: the extra ones are ignored (a separator inside a value? put the value in double quotes)` });
    }
    const fileSymbol = layout.symbol === undefined ? undefined : (c[layout.symbol] ?? '');
    if (wanted !== undefined && fileSymbol !== undefined && symbolKey(fileSymbol) !== wanted) {
      otherSymbols.add(fileSymbol);
      continue;
    }
    const symbol = options.symbol ?? fileSymbol ?? '';
    const time = parseTimeIn(c[layout.time] ?? '', options.timeZone);
    if (Number.isNaN(time)) {
      problems.push({ line: i + 1, message: `cannot read the date "${(c[layout.time] ?? '').slice(0, 40)}"` });
      continue;
    }
    const num = (index: number | undefined) => {
      if (index === undefined) return 0;
      const cell = c[index];
      if (cell === undefined || cell === '') return Number.NaN;
      return Number(decimalComma ? cell.replace(',', '.') : cell);
    };
    const bar: Bar = {
      symbol,
      timeframe: options.timeframe,
      time,
      open: num(layout.open),
      high: num(layout.high),
      low: num(layout.low),
      close: num(layout.close),
      volume: num(layout.volume),
    };
    const problem = checkBar(bar);
    if (problem !== undefined) {
      problems.push({ line: i + 1, message: problem });
      continue;
    }
    rows.push({ bar, line: i + 1 });
  }
  if (wide > warnings.length) warnings.push({ line: warnings.at(-1)!.line, message: `and ${wide - warnings.length} more rows with extra fields` });
  if (rows.length === 0 && problems.length === 0 && otherSymbols.size > 0) {
    throw new LayoutError(`no rows for symbol "${options.symbol}"; the file has ${[...otherSymbols].sort().slice(0, 20).join(', ')}`);
  }
  return normaliseBars(rows, problems, warnings);
}

/** "BTC/USD", "BTC-USD" and "btcusd" name the same market. */
function symbolKey(symbol: string): string {
  return symbol.replace(/[^A-Za-z0-9]/g, '').toUpperCase();
}

export function loadOhlcvCsv(path: string, options: OhlcvLoadOptions): LoadedBars {
  return parseOhlcvCsv(readFileSync(path, 'utf8'), options);
}

/**
 * Reads OHLCV from JSON: an array of objects (`time`/`date`/`timestamp`, `open`, `high`, `low`, `close`,
 * `volume`, optional `symbol`) or of arrays `[time, open, high, low, close, volume, ...]` (ccxt, Binance), with
 * numbers or numeric strings.
 */
export function parseOhlcvJson(value: unknown, options: OhlcvLoadOptions): LoadedBars {
  if (!Array.isArray(value)) throw new Error('expected a JSON array of bars');
  const rows: { bar: Bar; line: number }[] = [];
  const problems: RowProblem[] = [];
  value.forEach((row: unknown, index) => {
    const n = (x: unknown) => (typeof x === 'number' ? x : typeof x === 'string' && x.trim() !== '' ? Number(x) : Number.NaN);
    let bar: Bar;
    if (Array.isArray(row)) {
      const time = typeof row[0] === 'string' ? parseTimeIn(row[0], options.timeZone) : n(row[0]);
      bar = { symbol: options.symbol ?? '', timeframe: options.timeframe, time, open: n(row[1]), high: n(row[2]), low: n(row[3]), close: n(row[4]), volume: n(row[5] ?? 0) };
    } else if (typeof row === 'object' && row !== null) {
      const r = row as Record<string, unknown>;
      const rawTime = r.time ?? r.date ?? r.timestamp;
      const time = typeof rawTime === 'string' ? parseTimeIn(rawTime, options.timeZone) : n(rawTime);
      bar = {
        symbol: typeof r.symbol === 'string' ? r.symbol : options.symbol ?? '',
        timeframe: options.timeframe,
        time,
        open: n(r.open),
        high: n(r.high),
        low: n(r.low),
        close: n(r.close),
        volume: n(r.volume ?? 0),
      };
    } else {
      problems.push({ line: index + 1, message: 'not a bar (expected an object or an array)' });
      return;
    }
    if (options.symbol !== undefined && bar.symbol !== options.symbol) return;
    const problem = checkBar(bar);
    if (problem !== undefined) problems.push({ line: index + 1, message: problem });
    else rows.push({ bar, line: index + 1 });
  });
  return normaliseBars(rows, problems);
}

export function loadOhlcvJson(path: string, options: OhlcvLoadOptions): LoadedBars {
  return parseOhlcvJson(JSON.parse(readFileSync(path, 'utf8')), options);
}
