import type { IgnoreCode } from '../orders/order-plan.js';
import type { EngineState, WorkingOrder } from './engine-types.js';
import type { RunContext } from './run-context.js';

/** The account, the orders in flight and the per-strategy tallies, as plain JSON for a checkpoint. */
export function snapshotEngine(ctx: RunContext): EngineState {
  return {
    version: 2,
    time: ctx.currentTime,
    bars: ctx.bars,
    sequence: ctx.sequence,
    ledger: ctx.ledger.toState(),
    tracks: ctx.slots.flatMap((s) =>
      [...s.positions.values()].map((t) => ({
        strategyId: s.slot.instanceId,
        symbol: t.symbol,
        pending: [...t.pending],
        working: t.working.map((w) => ({ ...w })),
        orderIds: [...t.orderIds],
        entries: t.entries,
        open: t.open === undefined ? null : { ...t.open },
      })),
    ),
    unownedFills: ctx.unownedFills,
    curve: ctx.curve.toState(),
    metrics: ctx.metrics.toState(),
    benchmark: ctx.benchmark.toState(),
    slots: ctx.slots.map((s) => ({
      instanceId: s.slot.instanceId,
      signals: s.signals,
      ignored: Object.fromEntries(s.ignored),
      submitted: s.submitted,
      denied: s.denied,
      tradeCount: s.tradeCount,
      trades: s.trades.toArray(),
      curve: s.curve.toState(),
      metrics: s.metrics.toState(),
    })),
  };
}

/**
 * Replaces the engine's state with a checkpoint of an engine with the same strategies, capital and currency. A
 * checkpoint of version 1 (before orders became requests) gives back its positions, open trades and the ids that
 * may still fill; the size of what was working then is not in it, so those orders count as working nothing.
 */
export function restoreEngine(ctx: RunContext, state: EngineState): void {
  ctx.ledger.restore(state.ledger);
  ctx.currentTime = Math.max(ctx.currentTime, state.time);
  ctx.sequence = state.sequence;
  ctx.bars += state.bars;
  for (const s of ctx.slots) {
    s.positions.clear();
    s.claimedCash = 0;
    s.claimedExposure = 0;
  }
  ctx.tracks.clear();
  for (const saved of state.tracks ?? []) {
    const slot = ctx.slotById.get(saved.strategyId);
    if (slot === undefined) continue;
    const track = ctx.tracks.of(slot, saved.symbol);
    for (const request of saved.pending) {
      track.pending.push(request);
      ctx.tracks.pendingCount++;
    }
    for (const w of saved.working) {
      const order: WorkingOrder = { ...w };
      track.working.push(order);
      slot.claimedCash += order.claimCash;
      slot.claimedExposure += order.claimExposure;
      if (order.limit) ctx.tracks.limitsWorking++;
    }
    track.orderIds.push(...saved.orderIds);
    track.entries = saved.entries;
    track.open = saved.open === null ? undefined : { ...saved.open };
  }
  for (const [id, strategyId, symbol] of state.orderOwner ?? []) {
    const slot = ctx.slotById.get(strategyId);
    if (slot !== undefined) ctx.tracks.of(slot, symbol).orderIds.push(id);
  }
  ctx.unownedFills = state.unownedFills ?? 0;
  ctx.curve.restore(state.curve);
  ctx.metrics.restore(state.metrics);
  if (state.benchmark !== undefined) ctx.benchmark.restore(state.benchmark);
  for (const saved of state.slots) {
    const slot = ctx.slotById.get(saved.instanceId);
    if (slot === undefined) continue;
    slot.signals = saved.signals;
    slot.ignored.clear();
    for (const [code, n] of Object.entries(saved.ignored ?? {})) slot.ignored.set(code as IgnoreCode, n ?? 0);
    slot.submitted = saved.submitted;
    slot.denied = saved.denied;
    slot.tradeCount = saved.tradeCount;
    for (const t of saved.trades) slot.trades.push(t);
    for (const [symbol, trade] of saved.open ?? []) {
      const track = ctx.tracks.of(slot, symbol);
      track.open = { ...trade };
      if (ctx.ledger.quantity(slot.slot.instanceId, symbol) !== 0) track.entries = Math.max(track.entries, 1);
    }
    slot.curve.restore(saved.curve);
    slot.metrics.restore(saved.metrics);
  }
}
