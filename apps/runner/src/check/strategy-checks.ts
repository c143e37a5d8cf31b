import { timeframeToMs } from '@trading-orchestrator/plugin-api';
import type { PluginCatalog } from '@trading-orchestrator/registry';
import { runBacktest } from '../commands/run-backtest.js';
import { RunInterruptedError } from '../commands/interruption.js';
import type { RunConfig } from '../config/run-config.js';
import { signalDifferences, SignalTrace, type TracedSignal } from './signal-trace.js';

export interface CheckContext {
  readonly config: RunConfig;
  readonly catalog: PluginCatalog;
  readonly file: string;
  readonly signal?: AbortSignal;
}

/**
 * A run of the config over [start, end), its signals traced. The data plugins are asked for exactly that span, as a
 * run that ends there would ask: a source that computes over the span it is given (a label from the next bar, prices
 * adjusted from the latest one) shows it here.
 */
async function traced(ctx: CheckContext, strategies: readonly string[], start: number, end: number): Promise<SignalTrace> {
  const trace = new SignalTrace(strategies, ctx.config.warmupBars);
  const config: RunConfig = { ...ctx.config, start: new Date(start).toISOString(), end: new Date(end).toISOString() };
  const outcome = await runBacktest(config, ctx.catalog, ctx.file, { attach: (bus, manager) => trace.attach(bus, manager), ...(ctx.signal === undefined ? {} : { signal: ctx.signal }) });
  if (outcome.result.interrupted) throw new RunInterruptedError('a check run');
  return trace;
}

export interface SignalChange {
  readonly time: number;
  readonly symbol: string;
  /** What the run with more data emitted at that time, and what the other did. */
  readonly withMore: string;
  readonly withLess: string;
}

const describe = (s: TracedSignal | undefined) => (s === undefined ? 'nothing' : `${s.side} (strength ${Number(s.strength.toPrecision(4))})`);

function changes(more: readonly TracedSignal[], less: readonly TracedSignal[]): SignalChange[] {
  const { onlyA, onlyB } = signalDifferences(more, less);
  const byTime = new Map<string, SignalChange>();
  for (const s of onlyA) byTime.set(`${s.time}|${s.symbol}`, { time: s.time, symbol: s.symbol, withMore: describe(s), withLess: 'nothing' });
  for (const s of onlyB) {
    const key = `${s.time}|${s.symbol}`;
    const found = byTime.get(key);
    byTime.set(key, found === undefined ? { time: s.time, symbol: s.symbol, withMore: 'nothing', withLess: describe(s) } : { ...found, withLess: describe(s) });
  }
  return [...byTime.values()].sort((a, b) => a.time - b.time);
}

export interface LookAheadFinding {
  readonly strategyId: string;
  /** Cut points at which some earlier signal changed. */
  readonly cutsChanged: number;
  readonly cuts: number;
  /** The signals that changed, earliest first (at most 20). */
  readonly changes: readonly SignalChange[];
}

/**
 * Look-ahead: the run over the full span, then runs that end at `cuts` points spread over it. A strategy that uses
 * only the past emits, before each cut, exactly the signals of the full run; every signal that differs depends on
 * bars after it.
 */
export async function lookAhead(ctx: CheckContext, strategies: readonly string[], cuts: number, onRun?: (done: number, of: number) => void): Promise<LookAheadFinding[]> {
  const start = Date.parse(ctx.config.start!);
  const end = Date.parse(ctx.config.end!);
  const full = await traced(ctx, strategies, start, end);
  onRun?.(1, cuts + 1);
  const found = new Map(strategies.map((id) => [id, { cutsChanged: 0, changes: [] as SignalChange[] }]));
  for (let k = 1; k <= cuts; k++) {
    const cut = start + Math.round(((end - start) * k) / (cuts + 1));
    const part = await traced(ctx, strategies, start, cut);
    onRun?.(k + 1, cuts + 1);
    for (const id of strategies) {
      const before = full.signals(id).filter((s) => s.time < cut);
      const differ = changes(before, part.signals(id));
      if (differ.length === 0) continue;
      const f = found.get(id)!;
      f.cutsChanged++;
      for (const c of differ) if (f.changes.length < 20 && !f.changes.some((x) => x.time === c.time && x.symbol === c.symbol)) f.changes.push(c);
    }
  }
  return strategies.map((id) => ({ strategyId: id, cuts, ...found.get(id)!, changes: found.get(id)!.changes.sort((a, b) => a.time - b.time) }));
}

export interface RecursionFinding {
  readonly strategyId: string;
  /** Each later start: from which time its signals counted, how many differ from the run with more history, and the last that does. */
  readonly starts: readonly { readonly start: number; readonly comparedFrom: number; readonly differing: number; readonly lastDifference: number | undefined; readonly first?: SignalChange }[];
}

/**
 * Recursion (warm-up): runs that start later than the full run, each with its own warm-up. Once a strategy's
 * warm-up is over its signals should not depend on how much history came before; signals that differ from the run
 * with more history mean indicators still carry their start (an EMA or RSI warmed too briefly), or signals that
 * depend on the strategy's own earlier trades (which a later start does not have).
 */
export async function recursion(ctx: CheckContext, strategies: readonly string[], offsets: readonly number[], onRun?: (done: number, of: number) => void): Promise<RecursionFinding[]> {
  const start = Date.parse(ctx.config.start!);
  const end = Date.parse(ctx.config.end!);
  const step = timeframeToMs(ctx.config.timeframe);
  const full = await traced(ctx, strategies, start, end);
  onRun?.(1, offsets.length + 1);
  const findings = strategies.map((id) => ({ strategyId: id, starts: [] as RecursionFinding['starts'][number][] }));
  for (const [i, share] of offsets.entries()) {
    // On a bar boundary of the run's timeframe, as a user would start a run.
    const later = start + Math.floor(((end - start) * share) / step) * step;
    const run = await traced(ctx, strategies, later, end);
    onRun?.(i + 2, offsets.length + 1);
    strategies.forEach((id, j) => {
      const from = run.countsFrom(id);
      const differ = changes(full.signals(id).filter((s) => s.time >= from), run.signals(id).filter((s) => s.time >= from));
      findings[j]!.starts.push({ start: later, comparedFrom: from, differing: differ.length, lastDifference: differ.at(-1)?.time, ...(differ[0] === undefined ? {} : { first: differ[0] }) });
    });
  }
  return findings;
}
