import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeBinance, type FakeBinance, type KlineRow } from '@trading-orchestrator/data-binance/testing';
import { loadOhlcvCsv } from '@trading-orchestrator/plugin-testkit';
import { testDataFile } from '@trading-orchestrator/testdata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli-harness.js';

/**
 * The history cache through the runner: `data download` fills it from a local Binance (real FTX BTC minute bars of
 * the first days of 2022), and a backtest afterwards reads every bar from disk, trading exactly as without it.
 */
const pluginsDir = fileURLToPath(new URL('../../../plugins', import.meta.url));
let server: FakeBinance;
let dir: string;

beforeAll(async () => {
  const { bars } = loadOhlcvCsv(testDataFile('ohlcv/intraday/ftx-btc-perp-20211231-20220108_1m.csv'), { symbol: 'BTCUSDT', timeframe: '1m' });
  const rows: KlineRow[] = bars.map((b) => [b.time, String(b.open), String(b.high), String(b.low), String(b.close), String(b.volume), b.time + 59_999, (b.volume * b.close).toFixed(8), 0, '0', '0', '0']);
  server = await startFakeBinance({ exchangeInfo: JSON.parse(readFileSync(testDataFile('binance/rest/http_spot_market_exchange_info.json'), 'utf8')), klines: { BTCUSDT: { '1m': rows } } });
  dir = mkdtempSync(join(tmpdir(), 'to-history-cache-'));
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const runFile = (cache: string) => `
data:
  plugin: data-binance
  config: { urls: { rest: "${server.restUrl}", ws: "${server.wsUrl}" }, rateLimitMs: 0 }
symbols: [BTC/USDT]
timeframe: 1m
start: 2022-01-01
end: 2022-01-03
capital: 100000
currency: USDT
historyCache: ${cache}
strategies:
  - plugin: ma-crossover
    config: { fast: 10, slow: 60 }
`;

const klineRequests = () => server.requests.filter((r) => r.path === '/api/v3/klines').length;

describe('the history cache', () => {
  it('data download fills it once; a second download and a backtest read it from disk and trade as without it', { timeout: 120_000 }, async () => {
    writeFileSync(join(dir, 'run.yaml'), runFile('history'));
    const first = await runCli(dir, 'data', 'download', '--config', 'run.yaml', '--plugin-dir', pluginsDir, '--no-cache');
    expect(first.code, first.err).toBe(0);
    expect(first.out).toMatch(/^data-binance BTC\/USDT 1m 2022-01-01 to 2022-01-03: 2880 bars; months downloaded 1, already in the cache 0$/m);
    expect(existsSync(join(dir, 'history', 'data-binance'))).toBe(true);
    const afterDownload = klineRequests();
    expect(afterDownload).toBeGreaterThan(0);

    const second = await runCli(dir, 'data', 'download', '--config', 'run.yaml', '--plugin-dir', pluginsDir, '--no-cache');
    expect(second.out).toMatch(/2880 bars; months downloaded 0, already in the cache 1$/m);
    const cached = await runCli(dir, 'backtest', '--config', 'run.yaml', '--plugin-dir', pluginsDir, '--no-cache', '--no-journal', '--no-report', '--json');
    expect(cached.code, cached.err).toBe(0);
    expect(klineRequests()).toBe(afterDownload);

    writeFileSync(join(dir, 'direct.yaml'), runFile('false'));
    const direct = await runCli(dir, 'backtest', '--config', 'direct.yaml', '--plugin-dir', pluginsDir, '--no-cache', '--no-journal', '--no-report', '--json');
    expect(klineRequests()).toBeGreaterThan(afterDownload);
    const summary = (out: string) => {
      const r = JSON.parse(out) as { bars: number; portfolio: { equity: number }; strategies: { trades: unknown[] }[] };
      return { bars: r.bars, equity: r.portfolio.equity, trades: r.strategies[0]!.trades };
    };
    expect(summary(cached.out)).toEqual(summary(direct.out));
    expect(summary(cached.out).bars).toBe(2880);
  });

  it('data download without start and end says what it needs', async () => {
    writeFileSync(join(dir, 'undated.yaml'), runFile('history').replace('start: 2022-01-01\n', ''));
    const { code, err } = await runCli(dir, 'data', 'download', '--config', 'undated.yaml', '--plugin-dir', pluginsDir, '--no-cache');
    expect(code).not.toBe(0);
    expect(err).toMatch(/start/);
    expect(err).not.toMatch(/\n\s+at /);
  });
});
