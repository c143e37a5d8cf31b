import type { PluginManager } from '@trading-orchestrator/core-manager';
import type { InstrumentSpec, OrderIntent, PortfolioSnapshot, Signal, Timeframe } from '@trading-orchestrator/plugin-api';
import type { AccountRules } from '../account/buying-power.js';
import type { IndicatorBoard } from '../indicators/indicator-board.js';
import type { BenchmarkResult, BuyAndHoldState } from '../metrics/buy-and-hold.js';
import type { EquitySamplerState } from '../metrics/equity-sampler.js';
import type { EquityPoint, PerformanceMetrics } from '../metrics/metrics.js';
import type { RunningMetricsState } from '../metrics/running-metrics.js';
import type { TradeRecord } from '../metrics/trade-log.js';
import type { IgnoreCode } from '../orders/order-plan.js';
import type { LedgerState } from '../portfolio/ledger.js';
import type { SizingRule } from '../sizing/position-sizer.js';

/** One strategy instance in the run, with its share of the account. */
export interface StrategySlot {
  readonly instanceId: string;
  /** Share of the starting capital this strategy sizes against and may spend, in (0, 1]. */
  readonly allocation: number;
  /** Receives the data and signals, which are recorded; never trades. */
  readonly shadow?: boolean;
  /** The symbols it trades; default the run's `symbols` (every symbol when the run names none). */
  readonly symbols?: readonly string[];
  /**
   * The timeframes whose bars the strategy sees. Coarser ones than the run's `timeframe` are built from the bars
   * fed. Absent: the bars as fed.
   */
  readonly timeframes?: readonly Timeframe[];
  readonly sizing: SizingRule;
  /** Adds a plain `buy` (or `sell`) may make to an open position. Default 0: one entry per position. */
  readonly pyramiding?: number;
  /** An ATR period to keep per series for trailing stops in ATRs (volatility-target sizing keeps its own). */
  readonly atrPeriod?: number;
}

export interface BacktestOptions {
  /** Strategies, risk plugins and the broker, loaded and started. */
  readonly manager: PluginManager;
  readonly brokerId: string;
  /** Risk plugin instance ids in the order the gate asks them. */
  readonly riskIds: readonly string[];
  /** The most signals taken from one call of a strategy's hook (default 100); the rest are ignored as `SIGNAL_LIMIT`. */
  readonly maxSignalsPerCall?: number;
  /**
   * The run's indicator plugins (instance ids) and the board plugins read them from: the same board the manager
   * handed to the plugins' contexts (`PluginManagerOptions.indicators`). Each fed bar updates them before the
   * strategies see it.
   */
  readonly indicators?: { readonly board: IndicatorBoard; readonly ids: readonly string[] };
  readonly strategies: readonly StrategySlot[];
  /** The symbols the run trades: a signal for another is refused. Absent: any symbol the bars bring. */
  readonly symbols?: readonly string[];
  /**
   * The timeframe of the bars the run is fed. Strategies whose `timeframes` list coarser ones see those bars built
   * from the fed ones, each handed to them once its period is over; the broker, the ledger and the risk plugins
   * see only the fed bars. Unset: nothing is built, and strategies see the bars as fed.
   */
  readonly timeframe?: Timeframe;
  readonly capital: number;
  readonly currency?: string;
  /** Cash or margin, and what happens to an order the account cannot pay. Default: a cash account that resizes. */
  readonly account?: Partial<AccountRules>;
  /** Whether a sell may open a short. Needs a margin account. Default false. */
  readonly allowShort?: boolean;
  /** Per symbol: lot and tick sizes, minimum order, multiplier. What is not given comes from the defaults. */
  readonly instruments?: readonly InstrumentSpec[];
  readonly periodsPerYear: number;
  readonly riskFreeRate?: number;
  /** Bars of each symbol (in the fed timeframe) that only warm the strategies up: their signals are not acted on. */
  readonly warmupBars?: number;
  /** Bars before this time only warm the strategies up: no orders (a resumed paper session trades from its checkpoint on). */
  readonly tradeFrom?: number;
  /**
   * Whether `run` closes the positions still open after the last bar, at the last close, counting those trades
   * (exit reason `end-of-run`). Default true.
   */
  readonly closeAtEnd?: boolean;
  /** Closed trades kept per strategy for the result (the latest); every trade counts in the metrics. Default 1,000. */
  readonly keepTrades?: number;
  /** Points kept per equity curve for the result (thinned evenly); every point counts in the metrics. Default 2,048. */
  readonly keepEquityPoints?: number;
  /** Told of each order as it is handed to the broker (a live session times bar-to-order latency with it). */
  readonly onOrderSent?: (intent: OrderIntent) => void;
}

export interface StrategyResult {
  readonly instanceId: string;
  readonly shadow: boolean;
  readonly signals: number;
  /** Signals the engine did not act on, by reason (every one is also published on `signal-ignored`). */
  readonly ignored: Readonly<Partial<Record<IgnoreCode, number>>>;
  readonly ordersSubmitted: number;
  readonly ordersDenied: number;
  /** Closed trades of the whole run. */
  readonly tradeCount: number;
  /** The latest closed trades, oldest first: all of them unless there were more than `keepTrades`. */
  readonly trades: readonly TradeRecord[];
  readonly finalEquity: number;
  /** The strategy's slice of the account over time, thinned to `keepEquityPoints` (empty for shadow strategies). */
  readonly equity: readonly EquityPoint[];
  /** Undefined for shadow strategies and runs shorter than two bars. */
  readonly metrics: PerformanceMetrics | undefined;
}

export interface Denial {
  readonly time: number;
  readonly strategyId: string;
  readonly symbol: string;
  readonly deniedBy: string;
  readonly code: string;
  readonly message: string;
}

export interface BacktestResult {
  readonly bars: number;
  /** True when the run was stopped before its last bar. */
  readonly interrupted: boolean;
  /** The account's equity over time, one point per bar time thinned to `keepEquityPoints`, first and last kept. */
  readonly equity: readonly EquityPoint[];
  readonly metrics: PerformanceMetrics | undefined;
  readonly strategies: readonly StrategyResult[];
  readonly portfolio: PortfolioSnapshot;
  /** The first 1,000 risk denials (their number is in each strategy's `ordersDenied`). */
  readonly denials: readonly Denial[];
  /**
   * Fills the broker reported for orders the engine did not send or has forgotten (a manual trade on the venue,
   * a bracket leg filling after its position closed). They are published on `fill`, so the journal has them, but
   * not booked: no strategy owns them. Never happens with the paper broker; otherwise reconcile with the venue.
   */
  readonly unownedFills: number;
  /** Buy and hold of the run's symbols, booked at the same times as the account: what the run is measured against. */
  readonly benchmark: BenchmarkResult;
}

/** A signal waiting for its symbol's next bar, where it becomes an order. */
export interface OrderRequest {
  readonly signal: Signal;
  /** The engine's time when it was made: the order may fill on a bar after it, never on it. */
  readonly time: number;
  /** The signal's symbol's last close when it was made: the sizing price of `signal-close`. */
  readonly close: number;
  /** The timeframe of the bars the signal came from, whose ATR sizes and trails it. */
  readonly timeframe: Timeframe;
}

/** An order at the broker that may still fill, as the engine keeps it. */
export interface WorkingOrder {
  readonly id: string;
  readonly side: 'buy' | 'sell';
  /** What is left to fill. */
  remaining: number;
  /** Opens or adds to a position (counts for `pyramiding`). */
  readonly entry: boolean;
  /** A limit order: waits `barsLeft` more bars of its symbol, then is cancelled. */
  readonly limit: boolean;
  barsLeft: number;
  /** The cash and exposure it holds back from the strategy's buying power until it fills or goes. */
  readonly claimCash: number;
  readonly claimExposure: number;
}

export interface OpenTrade {
  direction: 'long' | 'short';
  entryTime: number;
  quantity: number;
  realized: number;
  fees: number;
}

/** What a paper session checkpoints after each bar and resumes from: plain JSON. */
export interface EngineState {
  /** 2 since orders became requests, working orders and entries; absent in checkpoints of version 1. */
  readonly version?: 2;
  readonly time: number;
  readonly bars: number;
  readonly sequence: number;
  readonly ledger: LedgerState;
  /** Version 2: each strategy's books by symbol. */
  readonly tracks?: readonly {
    readonly strategyId: string;
    readonly symbol: string;
    readonly pending: readonly OrderRequest[];
    readonly working: readonly WorkingOrder[];
    readonly orderIds: readonly string[];
    readonly entries: number;
    readonly open: OpenTrade | null;
  }[];
  /** Version 1: orders that may still fill (order id, strategy, symbol), and the positions with one working. */
  readonly orderOwner?: readonly (readonly [string, string, string])[];
  readonly working?: readonly string[];
  readonly unownedFills?: number;
  readonly curve: EquitySamplerState;
  readonly metrics: RunningMetricsState;
  /** Absent in checkpoints made before the benchmark was kept: it then starts again at the resume. */
  readonly benchmark?: BuyAndHoldState;
  readonly slots: readonly {
    readonly instanceId: string;
    readonly signals: number;
    readonly ignored?: Readonly<Partial<Record<IgnoreCode, number>>>;
    readonly submitted: number;
    readonly denied: number;
    readonly tradeCount: number;
    readonly trades: readonly TradeRecord[];
    /** Version 1: the open trade per symbol. */
    readonly open?: readonly (readonly [string, OpenTrade])[];
    readonly curve: EquitySamplerState;
    readonly metrics: RunningMetricsState;
  }[];
}
