import { DELIMITERS, splitFields } from './csv-fields.js';
import { parseTime } from './parse-time.js';

/** The fields a bar is read from; `columns` in the load options names them for a header the loader does not know. */
export type OhlcvField = 'time' | 'open' | 'high' | 'low' | 'close' | 'volume' | 'symbol';

export interface LayoutOptions {
  readonly symbol?: string;
  readonly volumeColumn?: string;
  readonly delimiter?: string;
  readonly columns?: { readonly [F in OhlcvField]?: string | undefined };
}

/** Where a file's header is, how its fields are separated, and which field holds what. */
export interface Layout {
  /** 0-based line of the header; -1 for a headerless file. */
  readonly headerLine: number;
  readonly delimiter: string;
  /** Fields in the header (0 for a headerless file). */
  readonly width: number;
  readonly time: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number | undefined;
  readonly symbol: number | undefined;
}

const TIME_NAMES = ['date', 'time', 'timestamp', 'datetime', 'open time', 'opentime', 'open_time', 'date_time', 't', 'ts'];
const SYMBOL_NAMES = ['symbol', 'stock', 'ticker'];
/** Header names read as each price field: the name, a prefixed one (`AAPL.Open`, `price_open`), or a short form. */
const ALIASES: Readonly<Record<'open' | 'high' | 'low' | 'close' | 'volume', readonly string[]>> = {
  open: ['open', 'o', 'open price', 'opening price'],
  high: ['high', 'h', 'high price'],
  low: ['low', 'l', 'low price'],
  close: ['close', 'c', 'close price', 'closing price', 'last'],
  volume: ['volume', 'v', 'vol'],
};
const LINES_SEARCHED = 20;

function column(lower: readonly string[], field: keyof typeof ALIASES): number | undefined {
  for (const name of ALIASES[field]) {
    const exact = lower.indexOf(name);
    if (exact >= 0) return exact;
  }
  const name = field;
  const suffixed = lower.findIndex((h) => h.endsWith(`.${name}`) || h.endsWith(`_${name}`) || h.endsWith(` ${name}`));
  return suffixed >= 0 ? suffixed : undefined;
}

function baseAsset(symbol: string | undefined): string | undefined {
  if (symbol === undefined) return undefined;
  const slash = symbol.split(/[/\-:]/)[0];
  return slash !== undefined && slash !== symbol ? slash.toLowerCase() : symbol.replace(/(USDT|USDC|USD|EUR|BTC)$/i, '').toLowerCase() || undefined;
}

/** A layout error: the file cannot be read as bars, and why (the caller adds the file's name). */
export class LayoutError extends Error {}

/** The layout of a header line split with `delimiter`, or why it is not one (undefined: no open/close at all). */
function fromHeader(lines: readonly string[], i: number, delimiter: string, options: LayoutOptions): Layout | undefined {
  const header = splitFields(lines[i]!, delimiter).map((h) => h.replace(/^\uFEFF/, ''));
  const lower = header.map((h) => h.toLowerCase());
  const mapped = options.columns ?? {};
  const named = (field: OhlcvField): number | undefined => {
    const name = mapped[field];
    if (name === undefined) return undefined;
    const at = lower.indexOf(name.toLowerCase());
    return at >= 0 ? at : -1;
  };
  const open = named('open') ?? column(lower, 'open');
  const close = named('close') ?? column(lower, 'close');
  if (open === undefined || close === undefined || open < 0 || close < 0) return undefined;
  const missing = (Object.entries(mapped) as [OhlcvField, string | undefined][]).filter(([field, name]) => name !== undefined && named(field) === -1);
  if (missing.length > 0) {
    throw new LayoutError(`the header on line ${i + 1} has no column ${missing.map(([field, name]) => `"${name}" (columns.${field})`).join(', ')}; its columns are ${header.join(', ')}`);
  }
  const guessedTime = lower.findIndex((h) => TIME_NAMES.includes(h));
  // pandas writes a frame indexed by date with the index unnamed (`,open,high,...`): the dates are in that column.
  const time = named('time') ?? (guessedTime >= 0 ? guessedTime : lower[0] === '' && !Number.isNaN(parseTime(splitFields(lines[i + 1] ?? '', delimiter)[0] ?? '')) ? 0 : -1);
  const high = named('high') ?? column(lower, 'high');
  const low = named('low') ?? column(lower, 'low');
  if (time < 0 || high === undefined || low === undefined) {
    const lacking = time < 0 ? 'date/time' : high === undefined ? 'high' : 'low';
    throw new LayoutError(`the header on line ${i + 1} lacks a ${lacking} column (its columns are ${header.join(', ')}); name it with columns.${lacking === 'date/time' ? 'time' : lacking}`);
  }
  const base = baseAsset(options.symbol);
  const volumeColumn = options.columns?.volume ?? options.volumeColumn;
  const volume =
    (volumeColumn === undefined ? undefined : lower.indexOf(volumeColumn.toLowerCase())) ?? (base !== undefined && lower.includes(`volume_${base}`) ? lower.indexOf(`volume_${base}`) : undefined) ?? column(lower, 'volume');
  const symbolColumn = named('symbol') ?? lower.findIndex((h) => SYMBOL_NAMES.includes(h));
  return { headerLine: i, delimiter, width: header.length, time, open, high, low, close, volume: volume === -1 ? undefined : volume, symbol: symbolColumn >= 0 ? symbolColumn : undefined };
}

/**
 * Finds the header in the first lines (after any preamble), trying each delimiter unless one is given, or
 * recognises a headerless Binance kline file. Throws a {@link LayoutError} that says what is missing.
 */
export function detectLayout(lines: readonly string[], options: LayoutOptions): Layout {
  const delimiters = options.delimiter === undefined ? DELIMITERS : [options.delimiter];
  for (let i = 0; i < Math.min(lines.length, LINES_SEARCHED); i++) {
    for (const delimiter of delimiters) {
      if (!lines[i]!.includes(delimiter)) continue;
      const layout = fromHeader(lines, i, delimiter, options);
      if (layout !== undefined) return layout;
    }
  }
  for (const delimiter of delimiters) {
    const first = splitFields(lines[0] ?? '', delimiter);
    if (first.length >= 6 && first.slice(0, 6).every((c) => c !== '' && Number.isFinite(Number(c)))) {
      // Binance kline layout without a header: openTime, open, high, low, close, volume, ...
      return { headerLine: -1, delimiter, width: 0, time: 0, open: 1, high: 2, low: 3, close: 4, volume: 5, symbol: undefined };
    }
  }
  const names = options.columns === undefined ? '' : ` (looked for ${Object.entries(options.columns).filter(([, n]) => n !== undefined).map(([f, n]) => `${f}: "${n}"`).join(', ')})`;
  throw new LayoutError(`no header with open, high, low and close columns in the first ${LINES_SEARCHED} lines${names}, and not a headerless kline file; name the columns with columns: { time, open, high, low, close, volume }${options.delimiter === undefined ? ' and the separator with delimiter' : ''}`);
}
