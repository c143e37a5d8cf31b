import { readFileSync } from 'node:fs';
import { checkBar, type Bar, type Timeframe } from '@trading-orchestrator/plugin-api';
import { parseTime } from './parse-time.js';

export interface OhlcvLoadOptions {
  readonly timeframe: Timeframe;
  /** Symbol for files without a symbol column; with one, keeps only that symbol's rows. */
  readonly symbol?: string;
  /** Column holding base-asset volume, when the file has several volume columns. */
  readonly volumeColumn?: string;
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
  readonly symbols: string[];
}

interface Layout {
  readonly headerLine: number;
  readonly time: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number | undefined;
  readonly symbol: number | undefined;
}

const TIME_NAMES = ['date', 'time', 'timestamp', 'datetime', 'open time', 'opentime', 'open_time'];
const SYMBOL_NAMES = ['symbol', 'stock', 'ticker'];

function cells(line: string): string[] {
  return line.split(',').map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
}

function column(header: readonly string[], name: string): number | undefined {
  const lower = header.map((h) => h.toLowerCase());
  const exact = lower.indexOf(name);
  if (exact >= 0) return exact;
  const suffixed = lower.findIndex((h) => h.endsWith(`.${name}`) || h.endsWith(`_${name}`));
  return suffixed >= 0 ? suffixed : undefined;
}

function baseAsset(symbol: string | undefined): string | undefined {
  if (symbol === undefined) return undefined;
  const slash = symbol.split(/[/\-:]/)[0];
  return slash !== undefined && slash !== symbol ? slash.toLowerCase() : symbol.replace(/(USDT|USDC|USD|EUR|BTC)$/i, '').toLowerCase() || undefined;
}

function detectLayout(lines: readonly string[], options: OhlcvLoadOptions): Layout {
  for (let i = 0; i < Math.min(lines.length, 20); i++) {
    const header = cells(lines[i]!);
    const open = column(header, 'open');
    const close = column(header, 'close');
    if (open === undefined || close === undefined) continue;
    const lower = header.map((h) => h.toLowerCase());
    const named = lower.findIndex((h) => TIME_NAMES.includes(h));
    // pandas writes a frame indexed by date with the index unnamed (`,open,high,...`): the dates are in that column.
    const time = named >= 0 ? named : lower[0] === '' && !Number.isNaN(parseTime(cells(lines[i + 1] ?? '')[0] ?? '')) ? 0 : -1;
    const high = column(header, 'high');
    const low = column(header, 'low');
    if (time < 0 || high === undefined || low === undefined) {
      throw new Error(`the header on line ${i + 1} lacks a ${time < 0 ? 'date/time' : high === undefined ? 'high' : 'low'} column: ${lines[i]}`);
    }
    const base = baseAsset(options.symbol);
    const volume =
      (options.volumeColumn === undefined ? undefined : lower.indexOf(options.volumeColumn.toLowerCase())) ??
      (base !== undefined && lower.includes(`volume_${base}`) ? lower.indexOf(`volume_${base}`) : undefined) ??
      column(header, 'volume');
    const symbolColumn = lower.findIndex((h) => SYMBOL_NAMES.includes(h));
    return { headerLine: i, time, open, high, low, close, volume: volume === -1 ? undefined : volume, symbol: symbolColumn >= 0 ? symbolColumn : undefined };
  }
  const first = cells(lines[0] ?? '');
  if (first.length >= 6 && first.slice(0, 6).every((c) => c !== '' && Number.isFinite(Number(c)))) {
    // Binance kline layout without a header: openTime, open, high, low, close, volume, ...
    return { headerLine: -1, time: 0, open: 1, high: 2, low: 3, close: 4, volume: 5, symbol: undefined };
  }
  throw new Error('no header with open, high, low and close columns in the first 20 lines, and not a headerless kline file');
}

/** Sorts ascending, drops duplicate (symbol, time) rows keeping the first, and lists the symbols. */
export function normaliseBars(rows: { bar: Bar; line: number }[], problems: RowProblem[]): LoadedBars {
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
  return { bars, problems, symbols: [...new Set(bars.map((b) => b.symbol))].sort() };
}

/**
 * Reads OHLCV rows from CSV text in the layouts found in the wild: preamble lines before the header, an unnamed
 * index column (row numbers beside a date column, or the dates themselves, as pandas writes both), prefixed column names (`AAPL.Open`), a symbol column (long format), descending dates, several
 * volume columns, headerless Binance klines. Rows that break the bar contract are skipped and reported.
 */
export function parseOhlcvCsv(text: string, options: OhlcvLoadOptions): LoadedBars {
  const lines = text.split(/\r?\n/);
  const layout = detectLayout(lines, options);
  if (layout.symbol === undefined && options.symbol === undefined) {
    throw new Error('this file has no symbol column: pass the symbol in the options');
  }
  const rows: { bar: Bar; line: number }[] = [];
  const problems: RowProblem[] = [];
  const wanted = options.symbol === undefined ? undefined : symbolKey(options.symbol);
  const otherSymbols = new Set<string>();
  for (let i = layout.headerLine + 1; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw.trim() === '') continue;
    const c = cells(raw);
    const fileSymbol = layout.symbol === undefined ? undefined : c[layout.symbol] ?? '';
    if (wanted !== undefined && fileSymbol !== undefined && symbolKey(fileSymbol) !== wanted) {
      otherSymbols.add(fileSymbol);
      continue;
    }
    const symbol = options.symbol ?? fileSymbol ?? '';
    const time = parseTime(c[layout.time] ?? '');
    if (Number.isNaN(time)) {
      problems.push({ line: i + 1, message: `cannot read the date "${c[layout.time] ?? ''}"` });
      continue;
    }
    const num = (index: number | undefined) => (index === undefined ? 0 : c[index] === undefined || c[index] === '' ? Number.NaN : Number(c[index]));
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
  if (rows.length === 0 && problems.length === 0 && otherSymbols.size > 0) {
    throw new Error(`no rows for symbol "${options.symbol}"; the file has ${[...otherSymbols].sort().join(', ')}`);
  }
  return normaliseBars(rows, problems);
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
      const time = typeof row[0] === 'string' ? parseTime(row[0]) : n(row[0]);
      bar = { symbol: options.symbol ?? '', timeframe: options.timeframe, time, open: n(row[1]), high: n(row[2]), low: n(row[3]), close: n(row[4]), volume: n(row[5] ?? 0) };
    } else if (typeof row === 'object' && row !== null) {
      const r = row as Record<string, unknown>;
      const rawTime = r.time ?? r.date ?? r.timestamp;
      const time = typeof rawTime === 'string' ? parseTime(rawTime) : n(rawTime);
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
