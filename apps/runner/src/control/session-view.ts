import { RingBuffer, type EventBus, type PluginManager } from '@trading-orchestrator/core-manager';
import type { Bar, Fill, Order, Position, Signal } from '@trading-orchestrator/plugin-api';

import type { ShadowSummary } from '../format/shadow-summary.js';

const RECENT = 50;
/** Bars of each symbol the dashboard's candle chart starts with. */
const CANDLES = 500;
const FILLS = 200;
/** Account equity points: one a bar, so a day of minute bars and more. */
const EQUITY = 2_000;
/** Working orders kept: far more than a session holds; past it the oldest goes (a broker that never closes them). */
const ORDERS = 500;
const WORKING: ReadonlySet<string> = new Set(['new', 'accepted', 'partially_filled']);

export interface EquityPoint {
  readonly time: number;
  readonly equity: number;
}

/** Each plugin's state and failures, as the status answer and the live feed show them. */
export function pluginStates(manager: PluginManager): { id: string; kind: string; state: string; failures: number; failure?: string }[] {
  return manager.status().map((p) => ({ id: p.id, kind: p.kind, state: p.state, failures: p.failures, ...(p.failure === undefined ? {} : { failure: p.failure }) }));
}

/** What the control API shows of a running session, kept from the bus as it runs; bounded whatever its length. */
export class SessionView {
  bars = 0;
  lastBarTime: number | undefined;
  equity: number | undefined;
  readonly positions = new Map<string, Position>();
  /** Orders still working at the broker, by id, as its order events said last. */
  readonly orders = new Map<string, Order>();
  readonly signals: { time: number; strategyId: string; signal: Signal }[] = [];
  readonly denials: { time: number; strategyId: string; symbol: string; deniedBy: string; code: string; message: string }[] = [];
  private readonly candleRings = new Map<string, RingBuffer<Bar>>();
  private readonly fillRing = new RingBuffer<Fill>(FILLS);
  private readonly equityRing = new RingBuffer<EquityPoint>(EQUITY);
  /** Shadow strategies' signals against the live ones': the run's own tally, which the summary prints too. */
  constructor(readonly shadow: ShadowSummary) {}

  /** The latest bars of each symbol, oldest first. */
  candles(): Record<string, Bar[]> {
    return Object.fromEntries([...this.candleRings].map(([symbol, ring]) => [symbol, ring.toArray()]));
  }

  fills(): Fill[] {
    return this.fillRing.toArray();
  }

  equityHistory(): EquityPoint[] {
    return this.equityRing.toArray();
  }

  attach(bus: EventBus): () => void {
    const keep = <T>(list: T[], item: T) => {
      list.push(item);
      if (list.length > RECENT) list.shift();
    };
    const off = [
      bus.subscribe('bar', (bar) => {
        this.bars++;
        this.lastBarTime = Math.max(this.lastBarTime ?? bar.time, bar.time);
        let ring = this.candleRings.get(bar.symbol);
        if (ring === undefined) this.candleRings.set(bar.symbol, (ring = new RingBuffer<Bar>(CANDLES)));
        ring.push(bar);
      }),
      bus.subscribe('equity', (e) => {
        if (e.strategyId !== undefined) return;
        this.equity = e.equity;
        const last = this.equityRing.last();
        // One point a time: a later figure for the same time replaces nothing, it is just the newer reading.
        if (last === undefined || e.time > last.time) this.equityRing.push({ time: e.time, equity: e.equity });
      }),
      bus.subscribe('fill', (f) => this.fillRing.push(f)),
      bus.subscribe('order', (o) => {
        if (!WORKING.has(o.status)) return void this.orders.delete(o.id);
        this.orders.delete(o.id);
        this.orders.set(o.id, o);
        if (this.orders.size > ORDERS) this.orders.delete(this.orders.keys().next().value!);
      }),
      bus.subscribe('position', (p) => {
        if (p.quantity === 0) this.positions.delete(p.symbol);
        else this.positions.set(p.symbol, p);
      }),
      bus.subscribe('signal', (e) => keep(this.signals, { time: e.signal.time ?? this.lastBarTime ?? 0, strategyId: e.strategyId, signal: e.signal })),
      bus.subscribe('risk-verdict', (e) => {
        if (!e.approved) keep(this.denials, { time: e.intent.time, strategyId: e.intent.strategyId, symbol: e.intent.symbol, deniedBy: e.deniedBy ?? '', code: e.code ?? '', message: e.message ?? '' });
      }),
    ];
    return () => {
      for (const o of off) o();
    };
  }
}
