import { sizingRule } from '@trading-orchestrator/engine';
import { isWholeMultiple, TIMEFRAMES } from '@trading-orchestrator/plugin-api';
import { z } from 'zod';
import { dataSplitProblems } from './data-sources.js';
import { optimizeSection } from '../optimize/optimize-config.js';
import { isLoopback } from '../control/loopback.js';

const pluginRef = z.string().min(1);
const pluginConfig = z.record(z.string(), z.unknown()).default({});
/**
 * Per-hook time limits of one plugin, in ms, e.g. `{ start: { softMs: 10000, hardMs: 60000 } }`. A hook's promise
 * past softMs is reported as slow; past hardMs it has failed. Default 1 s and 5 s; 5 s and 30 s for init, start,
 * stop and dispose.
 */
const timeLimits = z
  .record(
    z.string().min(1),
    z
      .object({ softMs: z.number().int().positive(), hardMs: z.number().int().positive() })
      .refine((l) => l.softMs <= l.hardMs, { message: 'softMs must not be more than hardMs' }),
  )
  .optional();
const day = z.union([z.iso.date(), z.iso.datetime()]);
/** A file the run writes, relative to the config file's folder, or false for none. */
const outputFile = z.union([z.string().min(1), z.literal(false)]).optional();

/** What every plugin entry of a run file has: the plugin, the instance id it runs under, its config and time limits. */
const pluginEntry = z.object({ plugin: pluginRef, id: z.string().min(1).optional(), config: pluginConfig, timeLimits });

/** The broker a run uses when its config names none: the engine's paper broker. */
export const BUILT_IN_BROKER_ID = 'paper';

export const strategyEntry = z.object({
  /** The strategy plugin's id (from its manifest). */
  plugin: pluginRef,
  /** The id this instance runs under; default: the plugin id. Needed to run one plugin twice. */
  id: z.string().min(1).optional(),
  enabled: z.boolean().default(true),
  shadow: z.boolean().default(false),
  /** Default: every symbol of the run. */
  symbols: z.array(z.string().min(1)).min(1).optional(),
  /**
   * The timeframes whose bars the strategy sees; default: the run's. Coarser ones are built from the run's bars
   * and handed over once they close.
   */
  timeframes: z.array(z.enum(TIMEFRAMES)).min(1).optional(),
  /** Share of capital, in (0, 1]: what it sizes against and may spend. Default: an equal share of what is left. */
  allocation: z.number().gt(0).max(1).optional(),
  /** How an entry is sized. Default: fixed-fraction, an equal part of the strategy's equity for each of its symbols (all of it for one). */
  sizing: sizingRule.optional(),
  /** Adds a plain buy (or sell) may make to an open position; 0, the default, keeps one entry per position. */
  pyramiding: z.number().int().min(0).max(100).default(0),
  /** An ATR period kept per series, for trailing stops measured in ATRs (volatility-target sizing keeps its own). */
  atrPeriod: z.number().int().min(1).max(1_000).optional(),
  config: pluginConfig,
  timeLimits,
});

/** How one symbol trades; see `InstrumentSpec` in the plugin API. */
const instrument = z.object({
  tickSize: z.number().positive().optional(),
  lotSize: z.number().positive().optional(),
  fractional: z.boolean().optional(),
  minQuantity: z.number().min(0).optional(),
  maxQuantity: z.number().positive().optional(),
  minNotional: z.number().min(0).optional(),
  multiplier: z.number().positive().optional(),
});

/** The account the run trades: what it may spend. */
const account = z.object({
  /** cash: never below zero cash, no shorts (spot crypto, equities without margin). margin: may borrow. */
  type: z.enum(['cash', 'margin']).default('cash'),
  /** Margin accounts: gross exposure up to equity × leverage (a margin requirement of 1 / leverage). */
  leverage: z.number().min(1).max(100).default(1),
  /** An order the strategy cannot pay in full: cut to what it can pay (resize), or refused (reject). */
  insufficientFunds: z.enum(['resize', 'reject']).default('resize'),
  /** Fees and slippage assumed, in basis points, when the broker cannot estimate its own fills. */
  costAllowanceBps: z.number().min(0).max(1_000).default(10),
});

export const runConfigSchema = z
  .object({
    /**
     * backtest: over [start, end) from history. paper: from now on, on live closed bars, after warmupBars of history,
     * with the paper broker. live: as paper, with a venue broker plugin placing real orders (see `live`).
     */
    mode: z.enum(['backtest', 'paper', 'live']).default('backtest'),
    /**
     * A live session: `confirm: true` (or `--confirm-live`) says you mean it; `onMismatch` is what reconciliation does
     * when the venue and the journal disagree: `halt` entries until a person acts (`ctl resume`), or `adopt` the
     * venue's view and go on; `reconcileEveryMs` how often it runs besides start-up and reconnects;
     * `cancelEntriesOnStop` cancels working entry orders when the session stops.
     */
    live: z
      .object({
        confirm: z.boolean().default(false),
        onMismatch: z.enum(['halt', 'adopt']).default('halt'),
        reconcileEveryMs: z.number().int().min(5_000).default(60_000),
        /** On Ctrl-C or `ctl stop`, cancel working entry orders at the venue (protective stops stay). */
        cancelEntriesOnStop: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
    /**
     * Where the bars come from: a list of data plugins, each naming the `symbols` it serves (crypto from one exchange
     * and equities from another in one run); one alone serves every symbol. `id` names an instance (default its plugin
     * id). A run file may write a single data plugin as a mapping: the loader makes it a list of one.
     */
    data: z
      .array(
        pluginEntry.extend({
          symbols: z.array(z.string().min(1)).min(1).optional(),
          /** Keep its history in the history cache; default: yes for a plugin with a live feed (one that downloads). */
          cache: z.boolean().optional(),
        }),
      )
      .min(1),
    symbols: z.array(z.string().min(1)).min(1),
    timeframe: z.enum(TIMEFRAMES),
    /** Backtest only: the first bar's open time (inclusive). */
    start: day.optional(),
    /** Backtest only: no bar opening at or after it. */
    end: day.optional(),
    /**
     * Bars of each symbol (in the run's timeframe) that only warm strategies up: the first ones after `start` in a
     * backtest, the latest ones before now in paper. A strategy also waits for its own warmupBars of each series.
     */
    warmupBars: z.number().int().min(0).default(0),
    capital: z.number().positive().default(100_000),
    currency: z.string().min(1).default('USD'),
    account: account.prefault({}),
    /** Whether a sell may open a short; needs a margin account. */
    allowShort: z.boolean().default(false),
    /** Per symbol, how it trades: lot and tick size, minimum order, multiplier. Wins over what the data plugin says. */
    instruments: z.record(z.string().min(1), instrument).default({}),
    /** Backtest: close the positions still open after the last bar, at its close, and count those trades. */
    closeAtEnd: z.boolean().default(true),
    /** For annualising metrics; default: from the timeframe on a 365-day year (use 252 for daily equities). */
    periodsPerYear: z.number().positive().optional(),
    riskFreeRate: z.number().min(0).max(1).default(0),
    strategies: z.array(strategyEntry).min(1),
    /**
     * Indicator plugins, updated with every bar of the run's timeframe before the strategies see it; plugins read
     * them through their context (`indicators.value(id, symbol)`). `id` names the instance (default its plugin id).
     */
    indicators: z.array(pluginEntry).default([]),
    /** Risk plugins, asked in this order. */
    risk: z.array(pluginEntry).default([]),
    /**
     * Notifier plugins of a paper session: each gets the `events` it names (trade, risk, plugin, session), off the
     * trading path, a failed delivery tried `retries` more times after `retryDelayMs`, doubling.
     */
    notifiers: z
      .array(
        pluginEntry.extend({
          events: z.array(z.enum(['trade', 'risk', 'plugin', 'session'])).min(1).default(['trade', 'risk', 'plugin', 'session']),
          retries: z.number().int().min(0).max(20).default(4),
          retryDelayMs: z.number().int().min(10).max(600_000).default(1_000),
        }),
      )
      .default([]),
    /** The broker: the built-in paper broker unless `plugin` names an installed broker plugin. */
    broker: z.object({ plugin: pluginRef.default(BUILT_IN_BROKER_ID), config: pluginConfig, timeLimits }).prefault({}),
    /** Where downloaded history is kept between runs, relative to this file, or false for nowhere. */
    historyCache: z.union([z.literal(false), z.string().min(1)]).default('.trading-orchestrator/history'),
    /** The SQLite journal, relative to this file, or false for none; `--journal`/`--no-journal` override it. */
    journal: outputFile,
    /**
     * How the journal keeps equity curves: `thinned` (each day's low, high and close of the account and each strategy,
     * and the point after every fill) or `every-bar` (one row per bar per curve: large on minute bars).
     */
    journalEquity: z.enum(['thinned', 'every-bar']).default('thinned'),
    /** The HTML report, relative to this file, or false for none; `--report`/`--no-report` override it. */
    report: outputFile,
    /**
     * A paper session's control API (`trading-orchestrator ctl`): HTTP on `host:port` (0: any free port) with a token
     * written beside the run file, and the dashboard at its root. Another address than this machine's needs
     * `allowRemote: true`.
     */
    control: z
      .object({
        enabled: z.boolean().default(true),
        host: z.string().min(1).default('127.0.0.1'),
        port: z.number().int().min(0).max(65_535).default(0),
        allowRemote: z.boolean().default(false),
        /** Reloads of one plugin a session allows: each keeps the old code in memory (docs/operations.md). */
        maxReloads: z.number().int().min(0).max(1_000).default(10),
        /** Serve the API and dashboard, read-only, while a backtest runs too (off: a backtest is usually over in seconds). */
        backtest: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    /**
     * A paper session's health checks: each plugin's `health` hook every `intervalMs`; `thresholds` bound the metrics a
     * plugin reports (by plugin id, then metric: `{ min, max }`); a strategy unhealthy `disableAfter` checks in a row is
     * taken out of the session (0: never).
     */
    health: z
      .object({
        intervalMs: z.number().int().min(100).default(30_000),
        thresholds: z.record(z.string().min(1), z.record(z.string().min(1), z.object({ min: z.number().optional(), max: z.number().optional() }).strict())).default({}),
        disableAfter: z.number().int().min(0).default(0),
      })
      .strict()
      .prefault({}),
    /** How `trading-orchestrator optimize` searches the plugins' settings; other commands ignore it. */
    optimize: optimizeSection.optional(),
  })
  .superRefine((c, ctx) => {
    if (c.mode === 'backtest') {
      if (c.start === undefined) ctx.addIssue({ code: 'custom', path: ['start'], message: 'a backtest needs start: the first bar\'s date, e.g. 2020-01-01' });
      if (c.end === undefined) ctx.addIssue({ code: 'custom', path: ['end'], message: 'a backtest needs end: the date after the last bar, e.g. 2021-01-01' });
      if (c.start !== undefined && c.end !== undefined && Date.parse(c.end) <= Date.parse(c.start)) ctx.addIssue({ code: 'custom', path: ['end'], message: `end (${c.end}) must be after start (${c.start})` });
    } else {
      for (const key of ['start', 'end'] as const) {
        if (c[key] !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: `a paper session runs from now on live bars; remove ${key} (warmupBars sets how much history warms the strategies up)` });
      }
    }
    if (!c.control.allowRemote && !isLoopback(c.control.host)) ctx.addIssue({ code: 'custom', path: ['control', 'host'], message: `${c.control.host} is not this machine alone: anyone who reaches it and has the token could trade the account; set control.allowRemote: true to mean it (and put TLS in front), or keep 127.0.0.1` });
    if (c.allowShort && c.account.type === 'cash') ctx.addIssue({ code: 'custom', path: ['allowShort'], message: 'selling short needs a margin account: set account: { type: margin, leverage: 1 } (or more), or remove allowShort' });
    if (c.account.type === 'cash' && c.account.leverage !== 1) ctx.addIssue({ code: 'custom', path: ['account', 'leverage'], message: 'leverage applies to margin accounts: set account.type to margin, or remove leverage' });
    for (const [symbol, spec] of Object.entries(c.instruments)) {
      if (spec.fractional === false && spec.lotSize !== undefined && !Number.isInteger(spec.lotSize)) ctx.addIssue({ code: 'custom', path: ['instruments', symbol, 'lotSize'], message: `fractional is false, so lotSize must be a whole number, got ${spec.lotSize}` });
      if (spec.minQuantity !== undefined && spec.maxQuantity !== undefined && spec.minQuantity > spec.maxQuantity) ctx.addIssue({ code: 'custom', path: ['instruments', symbol, 'maxQuantity'], message: `maxQuantity ${spec.maxQuantity} is below minQuantity ${spec.minQuantity}` });
    }
    const enabled = c.strategies.filter((s) => s.enabled && !s.shadow);
    const total = enabled.reduce((s, x) => s + (x.allocation ?? 0), 0);
    if (total > 1 + 1e-9) ctx.addIssue({ code: 'custom', path: ['strategies'], message: `allocations add up to ${(total * 100).toFixed(1)}% of capital; they must not exceed 100%` });
    c.strategies.forEach((s, i) => {
      s.timeframes?.forEach((t, j) => {
        if (!isWholeMultiple(c.timeframe, t)) ctx.addIssue({ code: 'custom', path: ['strategies', i, 'timeframes', j], message: `${t} bars cannot be built from the run's ${c.timeframe} bars (a strategy's timeframes are the run's timeframe or coarser ones it divides); set timeframe to ${t} or finer` });
      });
      s.symbols?.forEach((symbol, j) => {
        if (!c.symbols.includes(symbol)) ctx.addIssue({ code: 'custom', path: ['strategies', i, 'symbols', j], message: `${symbol} is not one of the run's symbols (${c.symbols.join(', ')}); add it to symbols or remove it here` });
      });
    });
    for (const [path, message] of dataSplitProblems(c.data, c.symbols)) ctx.addIssue({ code: 'custom', path, message });
    const ids = new Map<string, number>();
    c.strategies.forEach((s, i) => {
      const id = s.id ?? s.plugin;
      if (ids.has(id)) ctx.addIssue({ code: 'custom', path: ['strategies', i, 'id'], message: `id "${id}" is already used by strategies[${ids.get(id)}]; give this one its own id` });
      ids.set(id, i);
    });
  });

export type RunConfig = z.infer<typeof runConfigSchema>;
export type RunConfigInput = z.input<typeof runConfigSchema>;
