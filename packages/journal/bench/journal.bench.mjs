// Rows per second the journal records, and the bytes it takes, with the SQLite driver this Node picks
// (TRADING_ORCHESTRATOR_SQLITE=node|better picks one). Run it under Node 20 for better-sqlite3 and under
// Node 22.13+ for node:sqlite:
//   node bench/journal.bench.mjs
//   npx -y node@22 bench/journal.bench.mjs
//   TRADING_ORCHESTRATOR_SQLITE=better npx -y node@22 bench/journal.bench.mjs
// ROWS sets the number of equity events (default 1,000,000); every 50th bar also journals a signal, an order, a
// fill and a trade, as an active run does. EQUITY=every-bar keeps every equity point (default: the thinned curve).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBus } from '@trading-orchestrator/core-manager';
import { Journal } from '../dist/index.js';
import { sqliteDriver } from '../dist/index.js';

const rows = Number(process.env.ROWS ?? 1_000_000);
const dir = mkdtempSync(join(tmpdir(), 'to-journal-bench-'));
try {
  const path = join(dir, 'bench.db');
  const journal = Journal.open(path);
  await journal.ready();
  const bus = new EventBus();
  const run = journal.startRun({ label: 'bench', mode: 'backtest', config: {}, startedAt: Date.now() });
  const detach = journal.attach(bus, run, { equity: process.env.EQUITY ?? 'thinned' });
  const started = performance.now();
  let events = 0;
  for (let i = 0; i < rows; i++) {
    const time = 1_600_000_000_000 + i * 60_000;
    bus.publish('equity', { time, equity: 100_000 + Math.sin(i / 1000) * 1000 });
    events++;
    if (i % 50 === 0) {
      const signal = { symbol: 'BTC/USDT', side: 'buy', strength: 1, time, reason: 'cross' };
      bus.publish('signal', { strategyId: 'ma', signal, shadow: false });
      bus.publish('order', { id: `o${i}`, strategyId: 'ma', symbol: 'BTC/USDT', side: 'buy', type: 'market', quantity: 0.1, status: 'filled', createdAt: time, updatedAt: time, filledQuantity: 0.1, averagePrice: 50_000 });
      bus.publish('fill', { orderId: `o${i}`, symbol: 'BTC/USDT', side: 'buy', quantity: 0.1, price: 50_000, fee: 5, time });
      bus.publish('trade', { strategyId: 'ma', symbol: 'BTC/USDT', direction: 'long', quantity: 0.1, entryTime: time, exitTime: time + 60_000, pnl: 12.5, fees: 10 });
      events += 4;
    }
  }
  detach();
  const seconds = (performance.now() - started) / 1000;
  journal.close();
  const bytes = statSync(path).size;
  console.log(`node ${process.version}, ${sqliteDriver()}, equity ${process.env.EQUITY ?? 'thinned'}: ${events.toLocaleString('en')} events in ${seconds.toFixed(2)} s = ${Math.round(events / seconds).toLocaleString('en')} events/s; ${(bytes / 1e6).toFixed(1)} MB (${(bytes / rows).toFixed(0)} bytes a bar)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
