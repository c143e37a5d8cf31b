import type { Bar } from '../domain/bar.js';
import type { Fill, Order } from '../domain/order.js';
import type { Position } from '../domain/position.js';
import type { Quote, Tick } from '../domain/quote.js';
import type { RiskEvent } from '../domain/risk.js';
import type { Signal } from '../domain/signal.js';

/** A signal as published on the bus: who made it, and whether it was made in shadow mode (recorded, never traded). */
export interface SignalEvent {
  readonly strategyId: string;
  readonly signal: Signal;
  readonly shadow: boolean;
}

/** A risk event with the plugin that raised it. */
export interface RiskEventFromPlugin extends RiskEvent {
  readonly pluginId: string;
}

/** The topics a plugin may subscribe to through its context, with their payloads. */
export interface PluginEventMap {
  bar: Bar;
  quote: Quote;
  tick: Tick;
  signal: SignalEvent;
  order: Order;
  fill: Fill;
  position: Position;
  risk: RiskEventFromPlugin;
}

export type PluginTopic = keyof PluginEventMap;

export type Unsubscribe = () => void;
