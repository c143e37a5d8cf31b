import { HOOK_FAILED } from '@trading-orchestrator/core-manager';
import type { Signal, Tick } from '@trading-orchestrator/plugin-api';
import type { RunContext } from '../run/run-context.js';
import type { SlotState } from '../run/slot-state.js';
import { ownSignal } from '../orders/own-signal.js';
import type { OrderDesk } from './order-desk.js';
import type { PluginBars } from './plugin-bars.js';

type Output = Signal | readonly Signal[] | null | undefined;

/**
 * Trade prints of a live session: published on the `tick` topic and handed to the strategies that trade the
 * symbol and implement `onTick`. Their signals are taken in as a bar's are, with the tick's time: a request is acted
 * on at the first bar of its symbol that opens after the tick (the bar in which the tick happened opened before
 * it, so filling at its open would trade on the past).
 */
export class PluginTicks {
  private readonly listening: readonly SlotState[];

  constructor(
    private readonly ctx: RunContext,
    private readonly desk: OrderDesk,
    private readonly bars: PluginBars,
  ) {
    this.listening = ctx.slots.filter((s) => s.onTick !== undefined);
  }

  /** Whether any strategy of the run takes ticks: a session without one need not stream them. */
  get wanted(): boolean {
    return this.listening.length > 0;
  }

  tick(tick: Tick, from = 0): void | Promise<void> {
    const { ctx } = this;
    if (from === 0) {
      ctx.listeners.refresh();
      if (ctx.listeners.tick) ctx.bus.publish('tick', tick);
      ctx.refreshActive();
    }
    for (let at = from; at < this.listening.length; at++) {
      const state = this.listening[at]!;
      if (!state.active || (state.symbols !== undefined && !state.symbols.has(tick.symbol))) continue;
      const site = state.onTick;
      // A reload may have swapped in a version without onTick.
      if (site === undefined) continue;
      let out: Output | typeof HOOK_FAILED | Promise<Output | typeof HOOK_FAILED>;
      try {
        const answer = site.fn!.call(site.self, tick);
        if (answer === undefined) {
          ctx.guard.returnedNothing(site);
          continue;
        }
        out = ctx.guard.returned<Output>(site, answer);
      } catch (error) {
        ctx.guard.threw(site, error);
        continue;
      }
      if (out instanceof Promise) return out.then((settled) => this.intake(state, settled, tick)).then(() => this.tick(tick, at + 1));
      this.intake(state, out, tick);
    }
  }

  /**
   * A strategy's answer to something other than a bar (a tick, an alert), taken in as a tick's: `at` stands for
   * the moment, its price the symbol's.
   */
  intake(state: SlotState, out: Output | typeof HOOK_FAILED, tick: Tick): void {
    if (out === HOOK_FAILED || out === undefined || out === null) return;
    for (const signal of Array.isArray(out) ? this.ctx.capped(state, out as readonly Signal[]) : [out as Signal]) this.signal(state, signal, tick);
  }

  private signal(state: SlotState, made: Signal, tick: Tick): void {
    const { ctx } = this;
    const signal = ownSignal(made);
    const strategyId = state.slot.instanceId;
    state.signals++;
    ctx.listeners.refresh();
    if (ctx.listeners.signal) ctx.bus.publish('signal', { strategyId, signal: signal.time === undefined ? { ...signal, time: tick.time } : signal, shadow: state.slot.shadow === true });
    if (state.slot.shadow === true) return;
    const symbol = signal.symbol;
    if (state.symbols !== undefined && !state.symbols.has(symbol)) {
      return ctx.ignore(state, signal, 'SYMBOL_NOT_TRADED', () => `${symbol} is not one of the symbols ${strategyId} trades (${[...state.symbols!].join(', ')})`);
    }
    const tradeFrom = ctx.options.tradeFrom ?? Number.NEGATIVE_INFINITY;
    if (tick.time < tradeFrom) return ctx.ignore(state, signal, 'WARMING_UP', () => `the session trades from ${new Date(tradeFrom).toISOString()}`);
    const seen = this.bars.barsSeen(symbol);
    // A tick comes after the bars seen so far: once the run's warm-up bars are all in, its signals count.
    const needed = Math.max(ctx.options.warmupBars ?? 0, state.warmupBars);
    if (seen < needed) return ctx.ignore(state, signal, 'WARMING_UP', () => `${symbol} has had ${seen} bar${seen === 1 ? '' : 's'}; ${strategyId}'s signals count after ${needed}`);
    const price = symbol === tick.symbol ? tick.price : ctx.ledger.priceOf(symbol);
    const timeframe = state.slot.timeframes?.[0] ?? this.bars.fedTimeframeOf(symbol);
    if (!(price > 0) || timeframe === undefined) return ctx.ignore(state, signal, 'NO_PRICE', () => `${symbol} has had no bar yet, so an order for it cannot be sized`);
    const track = ctx.tracks.of(state, symbol);
    if (this.desk.refusesNow(track, signal)) return;
    this.desk.queue(track, { signal, time: Math.max(tick.time, ctx.currentTime), close: price, timeframe });
  }
}
