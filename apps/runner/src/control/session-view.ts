import type { EventBus } from '@trading-orchestrator/core-manager';
import type { Position, Signal } from '@trading-orchestrator/plugin-api';

import type { ShadowSummary } from '../format/shadow-summary.js';

const RECENT = 50;

/** What the control API shows of a running session, kept from the bus as it runs; bounded whatever its length. */
export class SessionView {
  bars = 0;
  lastBarTime: number | undefined;
  equity: number | undefined;
  readonly positions = new Map<string, Position>();
  readonly signals: { time: number; strategyId: string; signal: Signal }[] = [];
  readonly denials: { time: number; strategyId: string; symbol: string; deniedBy: string; code: string; message: string }[] = [];
  /** Shadow strategies' signals against the live ones': the run's own tally, which the summary prints too. */
  constructor(readonly shadow: ShadowSummary) {}

  attach(bus: EventBus): () => void {
    const keep = <T>(list: T[], item: T) => {
      list.push(item);
      if (list.length > RECENT) list.shift();
    };
    const off = [
      bus.subscribe('bar', (bar) => {
        this.bars++;
        this.lastBarTime = Math.max(this.lastBarTime ?? bar.time, bar.time);
      }),
      bus.subscribe('equity', (e) => {
        if (e.strategyId === undefined) this.equity = e.equity;
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
