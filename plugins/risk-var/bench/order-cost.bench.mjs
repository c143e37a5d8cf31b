// What risk-var costs around one order, the way the engine calls it: on each time step a close of every symbol
// (onBar), then a pre-trade check of an entry next to the book already held, the fill and the position opened.
// Minute bars of three symbols interleaved; the book holds one or three of them; the limit never binds (the
// case of a risk plugin that is there to guard, not to trade). Prints ns per step with and without the order, and
// what the order adds; asserts nothing.
//
//   pnpm --filter @trading-orchestrator/risk-var bench
//   STEPS=20000 WINDOW=500 node bench/order-cost.bench.mjs
import { varRiskManager } from '../dist/index.js';

const STEPS = Number(process.env.STEPS ?? 20_000);
const WINDOW = Number(process.env.WINDOW ?? 250);
const SYMBOLS = ['AAA', 'BBB', 'CCC'];
const silent = { debug() {}, info() {}, warn() {}, error() {} };

const start = () =>
  varRiskManager.init({
    pluginId: 'bench',
    config: varRiskManager.configSchema['~standard'].validate({ window: WINDOW, minHistory: 60, maxVarPct: 1, maxPositionWeight: 10 }).value,
    logger: silent,
    clock: { now: () => 0 },
    signal: new AbortController().signal,
    subscribe: () => () => {},
    raise() {},
    reportFill() {},
    reportOrder() {},
  });

// Seeded random walks, made before any clock starts.
let seed = 11;
const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
const total = STEPS + 2 * WINDOW;
const closes = SYMBOLS.map(() => {
  const out = new Float64Array(total);
  let p = 100;
  for (let t = 0; t < total; t++) out[t] = p *= 1 + (random() - 0.5) * 0.004;
  return out;
});

const bar = (s, t) => ({ symbol: SYMBOLS[s], timeframe: '1m', time: t * 60_000, open: closes[s][t], high: closes[s][t], low: closes[s][t], close: closes[s][t], volume: 1 });
const position = (s, t) => ({ symbol: SYMBOLS[s], quantity: 100, averagePrice: closes[s][t], marketPrice: closes[s][t], unrealizedPnl: 0, realizedPnl: 0, openedAt: 0 });
const portfolio = (held, t) => {
  const positions = held.map((s) => position(s, t));
  const net = positions.reduce((a, p) => a + p.quantity * p.marketPrice, 0);
  return { time: t * 60_000, currency: 'USD', cash: 1_000_000, equity: 1_000_000 + net, positions, grossExposure: net, netExposure: net, realizedPnl: 0, unrealizedPnl: 0, feesPaid: 0 };
};

/**
 * ns per time step: the bars of every symbol and the book as the engine would hand it over, and with `order`, an
 * entry checked, filled and opened against that book.
 */
async function perStep(held, order) {
  const risk = await start();
  for (let t = 0; t < 2 * WINDOW; t++) for (let s = 0; s < SYMBOLS.length; s++) risk.onBar(bar(s, t));
  let books = 0;
  const t0 = performance.now();
  for (let k = 0; k < STEPS; k++) {
    for (let s = 0; s < SYMBOLS.length; s++) risk.onBar(bar(s, 2 * WINDOW + k));
    const book = portfolio(held, 2 * WINDOW + k);
    books += book.positions.length;
    if (!order) continue;
    const target = held[k % held.length];
    const intent = { id: `o${k}`, symbol: SYMBOLS[target], side: 'buy', quantity: 10, type: 'market', reduceOnly: false, strategyId: 's', time: book.time, referencePrice: closes[target][2 * WINDOW + k] };
    const decision = risk.checkOrder(intent, book);
    if (decision.action !== 'allow') throw new Error(`the bench expects the limit never to bind: ${JSON.stringify(decision)}`);
    risk.onFill({}, book);
    risk.onPositionOpened(book.positions[0], book);
  }
  if (books === 0) throw new Error('no book was built');
  return ((performance.now() - t0) * 1e6) / STEPS;
}

console.log(`risk-var around one order: ${SYMBOLS.length} symbols of minute bars, window ${WINDOW}, ${STEPS.toLocaleString('en')} steps (Node ${process.version})`);
const best = async (held, order) => Math.min(await perStep(held, order), await perStep(held, order), await perStep(held, order));
for (const [name, held] of [['book of one symbol', [0]], ['book of three symbols', [0, 1, 2]]]) {
  const without = await best(held, false);
  const withOrder = await best(held, true);
  console.log(`  ${name.padEnd(22)} bars ${without.toFixed(0).padStart(6)} ns a step, with an order ${withOrder.toFixed(0).padStart(6)} ns: the order costs ${(withOrder - without).toFixed(0).padStart(6)} ns`);
}
