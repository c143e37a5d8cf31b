import type { HookSite, ManagedPlugin } from '@trading-orchestrator/core-manager';
import type { EquitySampler } from '../metrics/equity-sampler.js';
import type { RunningMetrics } from '../metrics/running-metrics.js';
import type { TradeLog } from '../metrics/trade-log.js';
import type { IgnoreCode } from '../orders/order-plan.js';
import type { StrategySlice } from '../portfolio/ledger.js';
import type { PositionSizer } from '../sizing/position-sizer.js';
import type { StrategySlot } from './engine-types.js';
import type { PositionTrack } from './position-track.js';

/** One strategy of the run as the engine keeps it: its hooks, money, tallies and positions. */
export interface SlotState {
  readonly slot: StrategySlot;
  /** Its place among the run's strategies: requests made at one time are acted on in this order. */
  readonly index: number;
  readonly plugin: ManagedPlugin;
  /** Whether the plugin was active when the engine last looked (`PluginStates.refresh`). */
  active: boolean;
  readonly sizer: PositionSizer;
  /** The strategy's slice of the account (its allocation in cents), bound to its book in the ledger. */
  readonly account: StrategySlice;
  /** Its hooks, bound to the plugin's instance; bound again when a reload swaps it (`RunContext.refreshActive`). */
  onBar: HookSite;
  onFill: HookSite;
  /** Its `onTick`, when it has one: trade prints of a live session reach it. */
  onTick: HookSite | undefined;
  /** Its `onAlert`, when it has one: external alerts routed to it (a webhook of a live session) reach it. */
  onAlert: HookSite | undefined;
  /** The symbols it may trade; undefined: any. */
  readonly symbols: ReadonlySet<string> | undefined;
  readonly pyramiding: number;
  /** Bars of a series the strategy needs before its signals are acted on: its own `warmupBars`. */
  readonly warmupBars: number;
  /** What its working orders hold back from its buying power. */
  claimedCash: number;
  claimedExposure: number;
  signals: number;
  readonly ignored: Map<IgnoreCode, number>;
  submitted: number;
  denied: number;
  tradeCount: number;
  readonly trades: TradeLog;
  /** By symbol. */
  readonly positions: Map<string, PositionTrack>;
  readonly curve: EquitySampler;
  readonly metrics: RunningMetrics;
}
