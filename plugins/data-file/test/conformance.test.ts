import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectBars, createTestContext, describeDataConformance } from '@trading-orchestrator/plugin-testkit';
import { describe, expect, it } from 'vitest';
import { fileSource, fileSourceConfig } from '../src/index.js';
import { testDataDir } from '@trading-orchestrator/testdata';

const baseDir = testDataDir();
const files = [
  { path: 'ohlcv/equities/SPY_D.csv', symbol: 'SPY', timeframe: '1d' },
  { path: 'ohlcv/equities/dash-stock-ticker-demo.csv', timeframe: '1d' },
  { path: 'ohlcv/crypto/Coinbase_BTCUSD_1h.csv', symbol: 'BTC/USD', timeframe: '1h' },
];

describeDataConformance('data-file', {
  definition: fileSource,
  packageJson: new URL('../package.json', import.meta.url),
  validConfig: { baseDir, files },
  invalidConfigs: [
    { config: { files: [] }, paths: ['files'] },
    { config: { files: [{ path: 'x.csv', timeframe: '2d' }] }, paths: ['files[0].timeframe'] },
    { config: { files: [{ timeframe: '1d', format: 'xml' }] }, paths: ['files[0].path', 'files[0].format'] },
  ],
  request: { symbol: 'SPY', timeframe: '1d', start: Date.UTC(2008, 0, 1), end: Date.UTC(2009, 0, 1) },
  unknownSymbol: { request: { symbol: 'TSLAA', timeframe: '1d', start: 0, end: Date.UTC(2030, 0, 1) }, message: 'no file holds symbol "TSLAA" (did you mean TSLA?)' },
  unsupportedTimeframe: { request: { symbol: 'BTC/USD', timeframe: '1d', start: 0, end: Date.UTC(2030, 0, 1) }, message: 'no 1d bars for "BTC/USD"; the files hold 1h' },
});

describe('file source', () => {
  const source = async (config: object, configDir?: string) => {
    const ctx = createTestContext(fileSourceConfig.parse(config), configDir === undefined ? {} : { configDir });
    return { ctx, source: await fileSource.init(ctx) };
  };

  it('serves every symbol of a long-format file, and lists them', async () => {
    const { source: s } = await source({ baseDir, files });
    expect(await s.symbols!()).toEqual(['AAPL', 'BTC/USD', 'COKE', 'GOOGL', 'SPY', 'TSLA', 'YHOO']);
    const { bars, pages } = await collectBars(s.historicalBars({ symbol: 'BTC/USD', timeframe: '1h', start: 0, end: Date.UTC(2030, 0, 1) }));
    expect(bars.length).toBeGreaterThan(20_000);
    expect(pages).toBe(Math.ceil(bars.length / 5_000));
  });

  it('names a missing file with the config path to fix', async () => {
    const { source: s } = await source({ baseDir: '/nonexistent', files: [{ path: 'prices.csv', symbol: 'X', timeframe: '1d' }] });
    await expect(collectBars(s.historicalBars({ symbol: 'X', timeframe: '1d', start: 0, end: 1 }))).rejects.toMatchObject({
      code: 'DATA_UNAVAILABLE',
      message: 'cannot read data file /nonexistent/prices.csv: ENOENT',
      path: 'files[0].path',
    });
  });

  it('skips broken rows, logs them once, and merges two files of one series', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'to-file-'));
    writeFileSync(join(dir, 'a.csv'), 'date,open,high,low,close,volume\n2024-01-02,10,11,9,10,5\n2024-01-03,10,9,11,10,5\n');
    writeFileSync(join(dir, 'b.json'), JSON.stringify([{ date: '2024-01-01', open: 9, high: 10, low: 8, close: 9.5, volume: 1 }, { date: '2024-01-02', open: 99, high: 99, low: 99, close: 99, volume: 1 }]));
    const { ctx, source: s } = await source({ baseDir: dir, files: [{ path: 'a.csv', symbol: 'X', timeframe: '1d' }, { path: 'b.json', symbol: 'X', timeframe: '1d' }] });
    const { bars } = await collectBars(s.historicalBars({ symbol: 'X', timeframe: '1d', start: 0, end: Date.UTC(2030, 0, 1) }));
    expect(bars.map((b) => b.close)).toEqual([9.5, 10]);
    expect(ctx.logs.map((l) => l.message)).toEqual([`1 rows of ${join(dir, 'a.csv')} skipped (line 3: high 9 is below low 11)`]);
  });

  it("reads pandas' default CSV, the dates in the unnamed index column", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'to-pandas-'));
    // What `df.to_csv('spy.csv')` writes for a frame indexed by date (the index unnamed), and with a row-number index.
    writeFileSync(join(dir, 'spy.csv'), ',open,high,low,close,volume\n2020-01-02 00:00:00,323.5,324.9,322.5,324.9,59151200\n2020-01-03 00:00:00,321.2,323.6,321.1,322.4,77709700\n');
    writeFileSync(join(dir, 'qqq.csv'), ',date,open,high,low,close,volume\n0,2020-01-02,214.4,216.2,213.9,216.2,30969400\n1,2020-01-03,213.3,215.5,213.3,214.2,27518900\n');
    const { source: s } = await source({ baseDir: dir, files: [{ path: 'spy.csv', symbol: 'SPY', timeframe: '1d' }, { path: 'qqq.csv', symbol: 'QQQ', timeframe: '1d' }] });
    for (const symbol of ['SPY', 'QQQ']) {
      const { bars } = await collectBars(s.historicalBars({ symbol, timeframe: '1d', start: 0, end: Date.UTC(2030, 0, 1) }));
      expect(bars.map((b) => new Date(b.time).toISOString().slice(0, 10))).toEqual(['2020-01-02', '2020-01-03']);
    }
  });

  it('reads semicolons, decimal commas, its own column names and local clock times, as the file entry says', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'to-file-'));
    writeFileSync(join(dir, 'dax.csv'), 'Zeit;Erster;Hoch;Tief;Schluss;Stück\n2024-01-02 09:00;16700,5;16750;16690,25;16740;1200\n2024-01-02 09:01;16740;16745,5;16730;16731;800\n');
    const entry = { path: 'dax.csv', symbol: 'DAX', timeframe: '1m', decimal: ',', timeZone: 'Europe/Berlin', columns: { time: 'Zeit', open: 'Erster', high: 'Hoch', low: 'Tief', close: 'Schluss', volume: 'Stück' } };
    const { source: s } = await source({ baseDir: dir, files: [entry] });
    const { bars } = await collectBars(s.historicalBars({ symbol: 'DAX', timeframe: '1m', start: 0, end: Date.UTC(2030, 0, 1) }));
    expect(bars.map((b) => [new Date(b.time).toISOString(), b.open, b.high, b.low, b.close, b.volume])).toEqual([
      ['2024-01-02T08:00:00.000Z', 16700.5, 16750, 16690.25, 16740, 1200],
      ['2024-01-02T08:01:00.000Z', 16740, 16745.5, 16730, 16731, 800],
    ]);
    expect(fileSourceConfig.safeParse({ files: [{ ...entry, timeZone: 'Berlin' }] }).error?.issues[0]).toMatchObject({ path: ['files', 0, 'timeZone'], message: expect.stringContaining('use an IANA name') });
  });

  it('warns once per file of rows with more fields than the header', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'to-file-'));
    writeFileSync(join(dir, 'x.csv'), 'date,open,high,low,close\n2024-01-02,1,2,0.5,1.5,oops\n2024-01-03,1,2,0.5,1.5\n');
    const { ctx, source: s } = await source({ baseDir: dir, files: [{ path: 'x.csv', symbol: 'X', timeframe: '1d' }] });
    const { bars } = await collectBars(s.historicalBars({ symbol: 'X', timeframe: '1d', start: 0, end: Date.UTC(2030, 0, 1) }));
    expect(bars).toHaveLength(2);
    expect(ctx.logs).toEqual([{ level: 'warn', message: `${join(dir, 'x.csv')}: line 2: 6 fields where the header has 5: the extra ones are ignored (a separator inside a value? put the value in double quotes)`, data: { file: join(dir, 'x.csv'), rows: 1 } }]);
  });

  it('reads relative paths from the run file\'s folder (configDir), a relative baseDir too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'to-file-'));
    mkdirSync(join(dir, 'data'));
    writeFileSync(join(dir, 'data', 'x.csv'), 'date,open,high,low,close\n2024-01-02,1,2,0.5,1.5\n');
    for (const config of [{ files: [{ path: 'data/x.csv', symbol: 'X', timeframe: '1d' }] }, { baseDir: 'data', files: [{ path: 'x.csv', symbol: 'X', timeframe: '1d' }] }]) {
      const { source: s } = await source(config, dir);
      expect((await collectBars(s.historicalBars({ symbol: 'X', timeframe: '1d', start: 0, end: Date.UTC(2030, 0, 1) }))).bars).toHaveLength(1);
    }
  });
});
