// Time from a closed bar leaving the exchange to the order it causes reaching the exchange, in a live session
// against the local fake Binance on loopback: the kline's websocket frame, the data plugin, the engine, the risk
// plugins (risk-guards, risk-var), broker-ccxt (rounding, signing) and the HTTP request. Both hops are loopback, so
// the figure is the process's own time plus well under a millisecond of network. Also prints the session's own
// figure (bar reaching the host -> order handed to the broker, what the live session prints as it stops).
// Prints figures; asserts nothing.
//   node bench/live-latency.bench.mjs        (BARS=200 RATE=5; broker-ccxt polls every second, its default)
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeBinance } from '@trading-orchestrator/data-binance/testing';
import { testDataFile } from '@trading-orchestrator/testdata';

const bars = Number(process.env.BARS ?? 200);
const rate = Number(process.env.RATE ?? 5);
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const pluginsDir = fileURLToPath(new URL('../../../plugins', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/strategy-every-bar', import.meta.url));
const MINUTE = 60_000;
const WARMUP = 30;
const API_KEY = 'benchKey0123456789abcdefghijklmnopqrstuv';
const SECRET = 'benchSecret0123456789abcdefghijklmnopqrstuvwxyz';

const liveFrom = Math.floor(Date.now() / MINUTE) * MINUTE;
let price = 40_000;
let seed = 11;
const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
const rows = Array.from({ length: WARMUP + bars + 2 }, (_, i) => {
  const t = liveFrom + (i - WARMUP) * MINUTE;
  const open = price;
  price *= 1 + (random() - 0.5) * 0.002;
  return [t, open.toFixed(2), (Math.max(open, price) * 1.0002).toFixed(2), (Math.min(open, price) * 0.9998).toFixed(2), price.toFixed(2), '10', t + MINUTE - 1, '400000', 0, '0', '0', '0'];
});
const server = await startFakeBinance({
  exchangeInfo: JSON.parse(readFileSync(testDataFile('binance/rest/http_spot_market_exchange_info.json'), 'utf8')),
  klines: { BTCUSDT: { '1m': rows.slice(0, WARMUP) } },
  account: { apiKey: API_KEY, secret: SECRET, balances: { USDT: 1_000_000, BTC: 0 } },
});
server.account.setPrice('BTCUSDT', Number(rows[WARMUP - 1][4]));
// When each order reached the exchange.
const arrivals = [];
const onExecution = server.account.onExecution;
server.account.onExecution = (report) => {
  if (report.x === 'NEW') arrivals.push(performance.now());
  onExecution(report);
};
const dir = mkdtempSync(join(tmpdir(), 'to-bench-live-'));
writeFileSync(
  join(dir, 'live.yaml'),
  `mode: live
data: { plugin: data-binance, config: { urls: { rest: "${server.restUrl}", ws: "${server.wsUrl}" }, rateLimitMs: 0 } }
symbols: [BTC/USDT]
timeframe: 1m
warmupBars: ${WARMUP}
capital: 100000
currency: USDT
strategies: [{ plugin: bench-every-bar }]
risk: [{ plugin: risk-guards }, { plugin: risk-var }]
broker: { plugin: broker-ccxt, config: { apiKey: "\${BENCH_KEY}", secret: "\${BENCH_SECRET}", urls: { rest: "${server.restUrl}", ws: "${server.wsApiUrl}" } } }
live: { confirm: true }
`,
);
const session = spawn(process.execPath, [cli, 'live', '--config', 'live.yaml', '--plugin-dir', pluginsDir, '--plugin-path', fixture, '--no-journal', '--no-report'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, BENCH_KEY: API_KEY, BENCH_SECRET: SECRET } });
let err = '';
session.stderr.on('data', (d) => (err += d));
await server.subscribed('btcusdt@kline_1m');
for (let i = 0; i < 200 && !/^live from /m.test(err); i++) await new Promise((r) => setTimeout(r, 50));
if (!/^live from /m.test(err)) throw new Error(`the live session did not start:\n${err}`);

const pushedAt = [];
for (let i = 0; i < bars; i++) {
  const row = rows[WARMUP + i];
  server.pushKline('BTCUSDT', '1m', [row[0], row[1], row[1], row[1], row[1], '0', row[6], '0', 0, '0', '0', '0'], false);
  pushedAt.push(performance.now());
  server.pushKline('BTCUSDT', '1m', row, true);
  await new Promise((r) => setTimeout(r, 1000 / rate));
}
await new Promise((r) => setTimeout(r, 1000));
session.kill('SIGINT');
await new Promise((r) => session.once('exit', r));
server.close();
rmSync(dir, { recursive: true, force: true });

// Each order answers the bar pushed last before it arrived.
const delays = arrivals.map((t) => t - pushedAt.filter((p) => p <= t).at(-1)).filter((d) => Number.isFinite(d)).sort((a, b) => a - b);
const at = (q) => delays[Math.min(delays.length - 1, Math.floor(q * delays.length))];
// The session's own figure: its bar reaching the host to the order handed to broker-ccxt, printed as it stops.
const inProcess = /^orders left for the venue .*$/m.exec(err)?.[0] ?? `no in-process figure; the session said:\n${err}`;
console.log(`live latency, in the process: ${inProcess}`);
console.log(`live latency, closed bar pushed -> order at the exchange (loopback, ${delays.length} orders from ${bars} bars at ${rate}/s): p50 ${at(0.5).toFixed(2)} ms, p90 ${at(0.9).toFixed(2)} ms, p99 ${at(0.99).toFixed(2)} ms, max ${delays.at(-1).toFixed(2)} ms`);
