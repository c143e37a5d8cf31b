// Cost of the hook guard on the synchronous fast path, next to calling the hook directly, and events per second
// through the bus. Prints figures; asserts nothing. Run: pnpm --filter @trading-orchestrator/core-manager bench
import { EventBus, GuardedPlugin, HookGuard } from '../dist/index.js';

const CALLS = 20_000_000;
const ROUNDS = 7;

/** A realistic strategy hook: a 20-bar SMA over a ring buffer, signalling on a cross (rarely). */
function makeStrategy() {
  const window = new Float64Array(20);
  let i = 0;
  let sum = 0;
  let above = false;
  const signal = { symbol: 'SPY', side: 'buy', strength: 0.5 };
  return {
    onBar(bar) {
      sum += bar.close - window[i];
      window[i] = bar.close;
      i = (i + 1) % 20;
      const nowAbove = bar.close > sum / 20;
      const crossed = nowAbove && !above;
      above = nowAbove;
      return crossed ? signal : undefined;
    },
  };
}

/** A hook that does almost nothing, the worst case for relative overhead. */
function makeTrivial() {
  let n = 0;
  return { onBar(bar) { n += bar.close > 0 ? 1 : 0; return undefined; } };
}

const bars = Array.from({ length: 1024 }, (_, k) => {
  const close = 100 + 10 * Math.sin(k / 17) + (k % 7);
  return { symbol: 'SPY', timeframe: '1d', time: k, open: close, high: close + 1, low: close - 1, close, volume: 1 };
});

function direct(instance) {
  let signals = 0;
  const t0 = process.hrtime.bigint();
  for (let k = 0; k < CALLS; k++) if (instance.onBar(bars[k & 1023]) !== undefined) signals++;
  return { ns: Number(process.hrtime.bigint() - t0) / CALLS, signals };
}

function guarded(instance) {
  const guard = new HookGuard({ bus: new EventBus() });
  const site = guard.site(new GuardedPlugin('bench', 'strategy'), 'onBar', instance);
  let signals = 0;
  const t0 = process.hrtime.bigint();
  for (let k = 0; k < CALLS; k++) if (guard.call(site, bars[k & 1023]) !== undefined) signals++;
  return { ns: Number(process.hrtime.bigint() - t0) / CALLS, signals };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function compare(label, make) {
  const d = [];
  const g = [];
  for (let r = 0; r < ROUNDS; r++) {
    // Alternate the order so neither side always runs on a warmer machine.
    if (r % 2 === 0) { d.push(direct(make()).ns); g.push(guarded(make()).ns); }
    else { g.push(guarded(make()).ns); d.push(direct(make()).ns); }
  }
  const dm = median(d);
  const gm = median(g);
  console.log(`  ${label.padEnd(28)} direct ${dm.toFixed(2)} ns/call   guarded ${gm.toFixed(2)} ns/call   overhead ${(((gm - dm) / dm) * 100).toFixed(1)}% (${(gm - dm).toFixed(2)} ns)`);
}

/** An EMA-cross and an RSI-threshold strategy, so the mixed case calls three different functions like an engine. */
function makeEma() {
  let e = 0;
  let above = false;
  const signal = { symbol: 'SPY', side: 'sell', strength: 0.4 };
  return { onBar(bar) { e = e === 0 ? bar.close : e + 0.1 * (bar.close - e); const a = bar.close > e; const c = !a && above; above = a; return c ? signal : undefined; } };
}
function makeRsi() {
  let prev = 0;
  let gain = 0;
  let loss = 0;
  const signal = { symbol: 'SPY', side: 'exit', strength: 1 };
  return {
    onBar(bar) {
      const d = prev === 0 ? 0 : bar.close - prev;
      prev = bar.close;
      gain = (gain * 13 + Math.max(d, 0)) / 14;
      loss = (loss * 13 + Math.max(-d, 0)) / 14;
      const rsi = loss === 0 ? 100 : 100 - 100 / (1 + gain / loss);
      return rsi > 80 ? signal : undefined;
    },
  };
}

function mixed(useGuard) {
  const makers = [makeStrategy, makeEma, makeRsi];
  const guard = new HookGuard({ bus: new EventBus() });
  const instances = makers.map((m) => m());
  const sites = instances.map((inst, j) => guard.site(new GuardedPlugin(`p${j}`, 'strategy'), 'onBar', inst));
  const n = CALLS / 3;
  let signals = 0;
  const t0 = process.hrtime.bigint();
  if (useGuard) {
    for (let k = 0; k < n; k++) { const b = bars[k & 1023]; for (let j = 0; j < 3; j++) if (guard.call(sites[j], b) !== undefined) signals++; }
  } else {
    for (let k = 0; k < n; k++) { const b = bars[k & 1023]; for (let j = 0; j < 3; j++) if (instances[j].onBar(b) !== undefined) signals++; }
  }
  return { ns: Number(process.hrtime.bigint() - t0) / (n * 3), signals };
}

function compareMixed() {
  const d = [];
  const g = [];
  let signals = 0;
  for (let r = 0; r < ROUNDS; r++) {
    if (r % 2 === 0) { d.push(mixed(false).ns); const x = mixed(true); g.push(x.ns); signals = x.signals; }
    else { const x = mixed(true); g.push(x.ns); signals = x.signals; d.push(mixed(false).ns); }
  }
  const dm = median(d);
  const gm = median(g);
  console.log(`  ${'3 strategies in rotation'.padEnd(28)} direct ${dm.toFixed(2)} ns/call   guarded ${gm.toFixed(2)} ns/call   overhead ${(((gm - dm) / dm) * 100).toFixed(1)}% (${(gm - dm).toFixed(2)} ns; ${((signals / CALLS) * 100).toFixed(1)}% of calls return a signal, which the guard validates)`);
}

console.log(`hook guard, synchronous hook, ${CALLS / 1e6}M calls x ${ROUNDS} rounds, median (Node ${process.version})`);
compare('SMA-20 cross strategy', makeStrategy);
compare('trivial hook', makeTrivial);
compareMixed();

const EVENTS = 10_000_000;
for (const listeners of [1, 3]) {
  const bus = new EventBus();
  let seen = 0;
  for (let l = 0; l < listeners; l++) bus.subscribe('bar', () => { seen++; });
  const t0 = process.hrtime.bigint();
  for (let k = 0; k < EVENTS; k++) bus.publish('bar', bars[k & 1023]);
  const ns = Number(process.hrtime.bigint() - t0) / EVENTS;
  if (seen !== EVENTS * listeners) throw new Error('lost events');
  console.log(`event bus, ${listeners} listener${listeners === 1 ? ' ' : 's'}: ${(1e3 / ns).toFixed(1)} M events/s (${ns.toFixed(1)} ns/publish)`);
}
