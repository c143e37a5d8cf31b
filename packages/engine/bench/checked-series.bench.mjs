// What the host's bar checks cost: the same pages of bars read as they come, and through checkedSeries (every bar
// checked and frozen). Prints ns a bar for each and the difference. BARS and ROUNDS set the size.
import { generateBars } from '@trading-orchestrator/market-data';
import { checkedSeries } from '../dist/index.js';

const BARS = Number(process.env.BARS ?? 2_000_000);
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const PAGE = 5_000;

function pagesOf() {
  const bars = [...generateBars({ symbol: 'SYN', timeframe: '1m', count: BARS, seed: 7, start: Date.UTC(2020, 0, 1), initialPrice: 100, drift: 0, volatility: 0.2 })];
  const pages = [];
  for (let i = 0; i < bars.length; i += PAGE) pages.push(bars.slice(i, i + PAGE));
  return pages;
}

async function* source(pages) {
  for (const page of pages) yield page;
}

async function read(series) {
  let sum = 0;
  for await (const page of series) for (const bar of page) sum += bar.close;
  return sum;
}

const best = { raw: Infinity, checked: Infinity };
for (let round = 0; round < ROUNDS; round++) {
  // Fresh bars each round: a frozen bar stays frozen, and freezing it again would cost less than the first time.
  const a = pagesOf();
  let t = performance.now();
  await read(source(a));
  best.raw = Math.min(best.raw, performance.now() - t);
  const b = pagesOf();
  let refused = 0;
  t = performance.now();
  await read(checkedSeries(source(b), { pluginId: 'bench', symbol: 'SYN', timeframe: '1m', onRefused: () => refused++ }));
  best.checked = Math.min(best.checked, performance.now() - t);
  if (refused > 0) throw new Error(`the generated bars should all pass, ${refused} were refused`);
}
const ns = (ms) => ((ms * 1e6) / BARS).toFixed(1);
console.log(`host bar checks, ${BARS.toLocaleString('en-US')} bars, best of ${ROUNDS}: read as served ${ns(best.raw)} ns/bar, checked and frozen ${ns(best.checked)} ns/bar, cost ${ns(best.checked - best.raw)} ns/bar`);
