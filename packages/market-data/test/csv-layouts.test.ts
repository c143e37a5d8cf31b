import { describe, expect, it } from 'vitest';
import { isTimeZone, parseOhlcvCsv, parseTimeIn } from '../src/index.js';

const iso = (t: number | undefined) => (t === undefined ? undefined : new Date(t).toISOString());
const day = { symbol: 'X', timeframe: '1d' } as const;

describe('CSV layouts beyond commas and English names', () => {
  it('semicolons with decimal commas, as European spreadsheets save them', () => {
    const csv = 'Date;Open;High;Low;Close;Volume\n2024-01-02;100,5;101,25;99,75;100,75;1200\n2024-01-03;100,75;102;100;101,5;900\n';
    const { bars, problems } = parseOhlcvCsv(csv, { ...day, decimal: ',' });
    expect(problems).toEqual([]);
    expect(bars.map((b) => [b.open, b.high, b.low, b.close, b.volume])).toEqual([
      [100.5, 101.25, 99.75, 100.75, 1200],
      [100.75, 102, 100, 101.5, 900],
    ]);
  });

  it('a tab or a pipe is found from the header; the delimiter option picks one', () => {
    const tabbed = parseOhlcvCsv('date\topen\thigh\tlow\tclose\n2024-01-02\t1\t2\t0.5\t1.5\n', day);
    expect(tabbed.bars[0]).toMatchObject({ open: 1, high: 2, low: 0.5, close: 1.5 });
    const piped = parseOhlcvCsv('date|open|high|low|close\n2024-01-02|1|2|0.5|1.5\n', { ...day, delimiter: '|' });
    expect(piped.bars).toHaveLength(1);
  });

  it('names it knows without help: "Open Price", t,o,h,l,c,v', () => {
    const named = parseOhlcvCsv('Date,Open Price,High Price,Low Price,Close Price\n2024-01-02,1,2,0.5,1.5\n', day);
    expect(named.bars[0]).toMatchObject({ open: 1, high: 2, low: 0.5, close: 1.5 });
    const short = parseOhlcvCsv('t,o,h,l,c,v\n1704153600000,1,2,0.5,1.5,10\n', day);
    expect(short.bars[0]).toMatchObject({ time: Date.UTC(2024, 0, 2), open: 1, close: 1.5, volume: 10 });
  });

  it('a column mapping reads a header in any language; a mapped name the header lacks is named', () => {
    const csv = 'Datum;Eröffnung;Hoch;Tief;Schluss;Umsatz\n02.01.2024;1;2;0,5;1,5;10\n';
    const mapped = { time: 'Datum', open: 'Eröffnung', high: 'Hoch', low: 'Tief', close: 'Schluss', volume: 'Umsatz' };
    const read = parseOhlcvCsv(csv.replace('02.01.2024', '2024-01-02'), { ...day, decimal: ',', columns: mapped });
    expect(read.bars[0]).toMatchObject({ open: 1, high: 2, low: 0.5, close: 1.5, volume: 10 });
    expect(() => parseOhlcvCsv(csv, { ...day, columns: { ...mapped, volume: 'Volumen' } })).toThrow(
      'the header on line 1 has no column "Volumen" (columns.volume); its columns are Datum, Eröffnung, Hoch, Tief, Schluss, Umsatz',
    );
    expect(() => parseOhlcvCsv('when,open,high,low,close\n2024-01-02,1,2,0.5,1.5\n', day)).toThrow(/lacks a date\/time column \(its columns are when, open, high, low, close\); name it with columns\.time/);
  });

  it('quoted values may hold the separator; a row with more fields than the header is read and warned about', () => {
    const csv = 'date,symbol,open,high,low,close\n2024-01-02,"BRK,B",1,2,0.5,1.5\n2024-01-03,BRK,B,1,2,0.5,1.5\n';
    const { bars, problems, warnings } = parseOhlcvCsv(csv, { timeframe: '1d' });
    expect(bars.map((b) => b.symbol)).toEqual(['BRK,B']);
    expect(problems.map((p) => p.line)).toEqual([3]);
    expect(warnings).toEqual([{ line: 3, message: '7 fields where the header has 6: the extra ones are ignored (a separator inside a value? put the value in double quotes)' }]);
  });
});

describe('time zones', () => {
  it('reads clock times in the given zone, across both daylight-saving changes of New York', () => {
    const ny = (text: string) => iso(parseTimeIn(text, 'America/New_York'));
    expect(ny('2024-01-02 09:30:00')).toBe('2024-01-02T14:30:00.000Z');
    expect(ny('2024-07-01 09:30')).toBe('2024-07-01T13:30:00.000Z');
    // 02:30 on 10 March 2024 does not exist there; 01:30 on 3 November happens twice (the first is taken).
    expect(ny('2024-03-10 03:30')).toBe('2024-03-10T07:30:00.000Z');
    expect(ny('2024-11-03 01:30')).toBe('2024-11-03T05:30:00.000Z');
    expect(ny('2024-11-03 02:30')).toBe('2024-11-03T07:30:00.000Z');
  });

  it('leaves epoch numbers, times with an offset and plain dates as they are', () => {
    expect(iso(parseTimeIn('1704205800000', 'Asia/Tokyo'))).toBe('2024-01-02T14:30:00.000Z');
    expect(iso(parseTimeIn('2024-01-02T09:30:00-05:00', 'Asia/Tokyo'))).toBe('2024-01-02T14:30:00.000Z');
    expect(iso(parseTimeIn('2024-01-02', 'Asia/Tokyo'))).toBe('2024-01-02T00:00:00.000Z');
  });

  it('applies to a whole file, and knows the zones Node knows', () => {
    const { bars } = parseOhlcvCsv('time,open,high,low,close\n2024-01-02 09:30,1,2,0.5,1.5\n', { symbol: 'X', timeframe: '1m', timeZone: 'Europe/Berlin' });
    expect(iso(bars[0]?.time)).toBe('2024-01-02T08:30:00.000Z');
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});
