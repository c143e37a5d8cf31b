import { checkBar } from '@trading-orchestrator/plugin-api';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseOhlcvCsv, parseOhlcvJson, type LoadedBars } from '../src/index.js';

/**
 * Files come from anywhere: whatever the text, a loader returns bars that keep the bar contract, or throws an
 * Error whose message says what is wrong. It never crashes with a TypeError, never hangs, never returns a bad bar.
 */
// FUZZ_RUNS sets the cases per property; they take seconds on a loaded machine, so each test has a generous timeout.
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 300);

function holdsTheContract(loaded: LoadedBars, lineCount: number): void {
  for (let i = 0; i < loaded.bars.length; i++) {
    const bar = loaded.bars[i]!;
    expect(checkBar(bar)).toBeUndefined();
    const previous = loaded.bars[i - 1];
    if (previous !== undefined) expect(previous.time < bar.time || (previous.time === bar.time && previous.symbol < bar.symbol)).toBe(true);
  }
  for (const p of [...loaded.problems, ...loaded.warnings]) {
    expect(p.line).toBeGreaterThanOrEqual(1);
    expect(p.line).toBeLessThanOrEqual(lineCount);
    expect(p.message.length).toBeGreaterThan(0);
  }
  expect(loaded.symbols).toEqual([...new Set(loaded.bars.map((b) => b.symbol))].sort());
}

function readsOrSaysWhy(read: () => LoadedBars, lineCount: number): void {
  let loaded: LoadedBars;
  try {
    loaded = read();
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).constructor.name).not.toMatch(/^(TypeError|RangeError|ReferenceError|SyntaxError)$/);
    expect((error as Error).message.length).toBeGreaterThan(10);
    return;
  }
  holdsTheContract(loaded, lineCount);
}

const cell = fc.oneof(
  fc.constantFrom('', ' ', '"', '""', '"a,b"', 'NaN', 'Infinity', '-1', '0', '1e308', '-0', 'null', '2024-01-02', '2024-02-30', '2024-01-02 25:61', '1704153600', '1704153600000', '99999999999999999999', '1-May-09', '2019-10-17 13-PM'),
  fc.double({ noNaN: false }).map(String),
  fc.integer({ min: 1_500_000_000, max: 1_800_000_000 }).map(String),
  fc.tuple(fc.date({ min: new Date('1990-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }), fc.constantFrom(10, 16, 19, 24)).map(([d, length]) => d.toISOString().slice(0, length)),
  fc.string({ maxLength: 8 }),
);
const headerName = fc.constantFrom('date', 'time', 'Date', 'timestamp', 'open', 'Open', 'o', 'high', 'h', 'low', 'l', 'close', 'Close Price', 'c', 'volume', 'v', 'symbol', 'ticker', '', 'AAPL.Open', 'volume_btc', 'junk');
const separator = fc.constantFrom(',', ';', '\t', '|');

const csvText = fc
  .record({
    preamble: fc.array(fc.string({ maxLength: 30 }), { maxLength: 2 }),
    header: fc.array(headerName, { minLength: 0, maxLength: 9 }),
    rows: fc.array(fc.array(cell, { maxLength: 10 }), { maxLength: 25 }),
    sep: separator,
    newline: fc.constantFrom('\n', '\r\n', '\r'),
  })
  .map(({ preamble, header, rows, sep, newline }) => [...preamble, header.join(sep), ...rows.map((r) => r.join(sep))].join(newline));

const options = fc.record(
  {
    timeframe: fc.constantFrom('1m' as const, '1h' as const, '1d' as const),
    symbol: fc.constantFrom('X', 'BTC/USD', 'AAPL'),
    delimiter: separator,
    decimal: fc.constantFrom('.' as const, ',' as const),
    timeZone: fc.constantFrom('UTC', 'America/New_York', 'Asia/Kolkata'),
  },
  { requiredKeys: ['timeframe'] },
);

describe('the CSV loader on generated input', () => {
  it('any text at all', { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), options, (text, opts) => readsOrSaysWhy(() => parseOhlcvCsv(text, opts), text.split(/\r?\n|\r/).length)),
      { numRuns: RUNS },
    );
  });

  it('text shaped like market data files: preambles, headers in any order, odd cells, any separator and line ending', { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(csvText, options, (text, opts) => readsOrSaysWhy(() => parseOhlcvCsv(text, opts), text.split(/\r?\n|\r/).length)),
      { numRuns: RUNS },
    );
  });

  it('a real header over generated rows reads every row or says why it was skipped', { timeout: 120_000 }, () => {
    const rows = fc.array(fc.tuple(cell, cell, cell, cell, cell, cell), { minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(rows, (generated) => {
        const text = ['date,open,high,low,close,volume', ...generated.map((r) => r.join(','))].join('\n');
        const loaded = parseOhlcvCsv(text, { symbol: 'X', timeframe: '1d' });
        holdsTheContract(loaded, generated.length + 1);
        const nonEmpty = generated.filter((r) => r.join(',').trim() !== '').length;
        // Every row is a bar, a skipped row with its reason, or a duplicate dropped (also listed).
        expect(loaded.bars.length + loaded.problems.length).toBe(nonEmpty);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('the CSV loader on generated files of good bars with faults sprinkled in', () => {
  const goodBar = fc
    .record({ day: fc.integer({ min: 0, max: 60 }), low: fc.double({ min: 1, max: 1000, noNaN: true }), spread: fc.double({ min: 0, max: 50, noNaN: true }), o: fc.double({ min: 0, max: 1, noNaN: true }), c: fc.double({ min: 0, max: 1, noNaN: true }), volume: fc.integer({ min: 0, max: 1e6 }) })
    .map(({ day, low, spread, o, c, volume }) => ({ time: Date.UTC(2024, 0, 1 + day), open: low + spread * o, high: low + spread, low, close: low + spread * c, volume }));
  const fault = fc.constantFrom('none', 'none', 'none', 'empty-close', 'high-below-low', 'bad-date', 'negative-volume', 'extra-field');

  it('reads every good row once (the first of two on one date), skips every faulty one with its line, and warns of extra fields', { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(goodBar, fault), { maxLength: 60 }), separator, (rows, sep) => {
        const num = String;
        const lines = rows.map(([b, f]) => {
          const date = f === 'bad-date' ? 'someday' : new Date(b.time).toISOString().slice(0, 10);
          const high = f === 'high-below-low' ? b.low - 1 : b.high;
          const close = f === 'empty-close' ? '' : num(b.close);
          const volume = f === 'negative-volume' ? -5 : b.volume;
          return [date, num(b.open), num(high), num(b.low), close, String(volume), ...(f === 'extra-field' ? ['x'] : [])].join(sep);
        });
        const loaded = parseOhlcvCsv(['date,open,high,low,close,volume'.replaceAll(',', sep), ...lines].join('\n'), { symbol: 'X', timeframe: '1d' });
        holdsTheContract(loaded, rows.length + 1);
        const readable = rows.filter(([, f]) => f === 'none' || f === 'extra-field');
        const firstOfDate = new Map<number, number>();
        for (const [b] of readable) if (!firstOfDate.has(b.time)) firstOfDate.set(b.time, b.close);
        expect(loaded.bars.map((b) => [b.time, b.close])).toEqual([...firstOfDate].sort((a, b) => a[0] - b[0]));
        expect(loaded.problems.length).toBe(rows.length - firstOfDate.size);
        expect(loaded.warnings.map((w) => w.line)).toEqual(rows.flatMap(([, f], i) => (f === 'extra-field' ? [i + 2] : [])));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('the JSON loader on generated input', () => {
  it('any JSON value', { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), options, (value, opts) => readsOrSaysWhy(() => parseOhlcvJson(value, opts), Array.isArray(value) ? value.length : 1)),
      { numRuns: RUNS },
    );
  });

  it('arrays of rows shaped like ccxt and Binance klines, and of objects', { timeout: 120_000 }, () => {
    const row = fc.oneof(fc.array(fc.oneof(cell, fc.double()), { maxLength: 8 }), fc.dictionary(fc.constantFrom('time', 'date', 'open', 'high', 'low', 'close', 'volume', 'symbol', 'x'), fc.oneof(cell, fc.double())));
    fc.assert(
      fc.property(fc.array(row, { maxLength: 30 }), options, (value, opts) => readsOrSaysWhy(() => parseOhlcvJson(value, opts), Math.max(1, value.length))),
      { numRuns: RUNS },
    );
  });
});
