import { describe, expect, it } from 'vitest';
import { loadOhlcvCsv, parseOhlcvCsv, parseOhlcvJson, parseTime } from '../src/index.js';
import { testDataFile } from '@trading-orchestrator/testdata';

const iso = (t: number | undefined) => (t === undefined ? undefined : new Date(t).toISOString());

describe('parseTime', () => {
  it('reads the layouts found in market data files, as UTC', () => {
    expect(iso(parseTime('1999-11-01'))).toBe('1999-11-01T00:00:00.000Z');
    expect(iso(parseTime('2020-01-08 01:30:00'))).toBe('2020-01-08T01:30:00.000Z');
    expect(iso(parseTime('2021-12-31 23:01:00.000000'))).toBe('2021-12-31T23:01:00.000Z');
    expect(iso(parseTime('2019-10-17 09-AM'))).toBe('2019-10-17T09:00:00.000Z');
    expect(iso(parseTime('2019-10-17 12-PM'))).toBe('2019-10-17T12:00:00.000Z');
    expect(iso(parseTime('2019-10-17 12-AM'))).toBe('2019-10-17T00:00:00.000Z');
    expect(iso(parseTime('1-May-09'))).toBe('2009-05-01T00:00:00.000Z');
    expect(iso(parseTime('1634943780000'))).toBe('2021-10-22T23:03:00.000Z');
    expect(iso(parseTime('1634943780'))).toBe('2021-10-22T23:03:00.000Z');
    expect(iso(parseTime('2024-10-02T13:30:00-04:00'))).toBe('2024-10-02T17:30:00.000Z');
    expect(parseTime('yesterday')).toBeNaN();
  });
});

describe('OHLCV loaders on the layouts in testdata/', () => {
  it('SPY daily: unnamed index column, ascending', () => {
    const { bars, problems, symbols } = loadOhlcvCsv(testDataFile('ohlcv/equities/SPY_D.csv'), { symbol: 'SPY', timeframe: '1d' });
    expect(problems).toEqual([]);
    expect(symbols).toEqual(['SPY']);
    expect(bars).toHaveLength(5241);
    expect(iso(bars[0]?.time)).toBe('1999-11-01T00:00:00.000Z');
    expect(iso(bars.at(-1)?.time)).toBe('2020-08-28T00:00:00.000Z');
  });

  it('Coinbase hourly: preamble line, descending dates, "09-AM" hours, base volume picked from volume_btc', () => {
    const { bars, problems } = loadOhlcvCsv(testDataFile('ohlcv/crypto/Coinbase_BTCUSD_1h.csv'), { symbol: 'BTC/USD', timeframe: '1h' });
    expect(bars.length + problems.length).toBe(20111);
    expect(bars[0]!.time).toBeLessThan(bars[1]!.time);
    expect(iso(bars.at(-1)?.time)).toBe('2019-10-17T09:00:00.000Z');
    expect(bars.at(-1)!.volume).toBeLessThan(bars.at(-1)!.volume * bars.at(-1)!.close);
    for (const p of problems) expect(p.message).toMatch(/duplicate bar|must be|lies outside|below/);
  });

  it('AAPL from plotly: prefixed column names', () => {
    const { bars } = loadOhlcvCsv(testDataFile('ohlcv/equities/finance-charts-apple.csv'), { symbol: 'AAPL', timeframe: '1d' });
    expect(bars).toHaveLength(506);
    expect(iso(bars[0]?.time)).toBe('2015-02-17T00:00:00.000Z');
  });

  it('long format with a symbol column and descending dates: one symbol or all', () => {
    const file = testDataFile('ohlcv/equities/dash-stock-ticker-demo.csv');
    const tsla = loadOhlcvCsv(file, { symbol: 'TSLA', timeframe: '1d' });
    expect(tsla.symbols).toEqual(['TSLA']);
    expect(iso(tsla.bars[0]?.time)).toBe('2015-01-02T00:00:00.000Z');
    expect(iso(tsla.bars.at(-1)?.time)).toBe('2017-12-29T00:00:00.000Z');
    const all = loadOhlcvCsv(file, { timeframe: '1d' });
    expect(all.symbols).toEqual(['AAPL', 'COKE', 'GOOGL', 'TSLA', 'YHOO']);
    expect(all.bars.filter((b) => b.symbol === 'YHOO')).toHaveLength(619);
  });

  it('FTX minute bars with microsecond timestamps', () => {
    const { bars } = loadOhlcvCsv(testDataFile('ohlcv/intraday/ftx-btc-perp-20211231-20220108_1m.csv'), { symbol: 'BTC-PERP', timeframe: '1m' });
    expect(bars).toHaveLength(10139);
    expect(iso(bars[0]?.time)).toBe('2021-12-31T23:01:00.000Z');
  });

  it('pandas frames as to_csv writes them: a row-number index beside the dates, or the dates as the unnamed index', () => {
    const numbered = parseOhlcvCsv(',date,open,high,low,close,volume\n0,2020-01-02,10,11,9,10.5,100\n1,2020-01-03,10.5,12,10,11,90\n', { symbol: 'SPY', timeframe: '1d' });
    const indexed = parseOhlcvCsv(',open,high,low,close,volume\n2020-01-02,10,11,9,10.5,100\n2020-01-03 00:00:00,10.5,12,10,11,90\n', { symbol: 'SPY', timeframe: '1d' });
    const aware = parseOhlcvCsv(',open,high,low,close,volume\n2020-01-02 00:00:00+00:00,10,11,9,10.5,100\n', { symbol: 'SPY', timeframe: '1d' });
    for (const loaded of [numbered, indexed]) {
      expect(loaded.problems).toEqual([]);
      expect(loaded.bars.map((b) => [iso(b.time), b.close])).toEqual([['2020-01-02T00:00:00.000Z', 10.5], ['2020-01-03T00:00:00.000Z', 11]]);
    }
    expect(aware.bars.map((b) => iso(b.time))).toEqual(['2020-01-02T00:00:00.000Z']);
  });

  it('Binance kline CSV without a header', () => {
    const { bars } = loadOhlcvCsv(testDataFile('binance/public-data/ADABTC-1m-2021-11-27.csv'), { symbol: 'ADA/BTC', timeframe: '1m' });
    expect(bars).toHaveLength(10);
    expect(bars[1]!.time - bars[0]!.time).toBe(60_000);
  });

  it('reports bad rows by line and keeps the rest; duplicates keep the first row', () => {
    const csv = ['note: exported by hand', 'date,open,high,low,close,volume', '2024-01-03,10,11,9,10.5,100', '2024-01-02,10,9,11,10,100', '2024-01-01,10,11,9,NaN,100', 'someday,1,1,1,1,1', '2024-01-03,99,99,99,99,1'].join('\n');
    const { bars, problems } = parseOhlcvCsv(csv, { symbol: 'X', timeframe: '1d' });
    expect(bars.map((b) => b.close)).toEqual([10.5]);
    expect(problems).toEqual([
      { line: 4, message: 'high 9 is below low 11' },
      { line: 5, message: 'close must be a positive finite price, got NaN' },
      { line: 6, message: 'cannot read the date "someday"' },
      { line: 7, message: 'duplicate bar for X at 2024-01-03T00:00:00.000Z dropped' },
    ]);
  });

  it('explains a file it cannot read', () => {
    expect(() => parseOhlcvCsv('a,b,c\n1,2,3', { symbol: 'X', timeframe: '1d' })).toThrow(/no header with open, high, low and close columns/);
    expect(() => parseOhlcvCsv('date,open,high,low,close\n2024-01-01,1,1,1,1', { timeframe: '1d' })).toThrow('this file has no symbol column: pass the symbol in the options');
    expect(() => parseOhlcvCsv('date,symbol,open,high,low,close\n2024-01-01,ETHUSD,1,1,1,1', { symbol: 'BTC/USD', timeframe: '1d' })).toThrow('no rows for symbol "BTC/USD"; the file has ETHUSD');
  });

  it('JSON arrays of objects or of ccxt-style rows', () => {
    const rows = parseOhlcvJson([[1634943780000, '61000.1', '61100', '60900', '61050.5', '12.5']], { symbol: 'BTC/USDT', timeframe: '1m' });
    expect(rows.bars[0]).toEqual({ symbol: 'BTC/USDT', timeframe: '1m', time: 1634943780000, open: 61000.1, high: 61100, low: 60900, close: 61050.5, volume: 12.5 });
    const objects = parseOhlcvJson([{ date: '2024-01-02', open: 1, high: 2, low: 0.5, close: 1.5, volume: 3, symbol: 'Y' }, 'junk'], { timeframe: '1d' });
    expect(objects.bars).toHaveLength(1);
    expect(objects.problems).toEqual([{ line: 2, message: 'not a bar (expected an object or an array)' }]);
  });
});
