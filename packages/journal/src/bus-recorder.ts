import type { EventBus } from '@trading-orchestrator/core-manager';
import { EquityThinner, type EquityDetail } from './equity-thinning.js';
import type { EventTable } from './schema.js';

export interface RecordOptions {
  /** `thinned` (the default): each day's low, high and close of every curve and the point after each fill; `every-bar`: every point. */
  readonly equity?: EquityDetail;
  /** The thinned curve's bucket, in ms of bar time (default a day). */
  readonly equityBucketMs?: number;
}

/** Rows of one kind and code kept per plugin or strategy; the run's summary counts them all. */
export const KEPT_PER_KIND = 100;

const DAY_MS = 86_400_000;

/** Fields of a signal that have columns of their own: its payload holds the rest (timeframe, prices, metadata). */
const SIGNAL_COLUMNS = new Set(['symbol', 'side', 'strength', 'time', 'reason']);
/**
 * Fields of an order that have columns of their own, and the signal it came from (journaled as a signal). An
 * order's first row holds its other fields but those at their defaults (`atDefault`); its later rows only the
 * fields that changed (filled quantity, price).
 */
const ORDER_COLUMNS = new Set(['id', 'updatedAt', 'strategyId', 'symbol', 'side', 'type', 'quantity', 'status', 'reason', 'signal']);

/** Orders remembered (strategy, first payload) for their later rows and fills: the newest, whatever the run's length. */
const ORDERS_REMEMBERED = 4_096;

/** JSON of an object's fields but `columns` (top level only): copied first, as a replacer function costs more. */
function restOf(value: object, columns: ReadonlySet<string>): string {
  const fields = value as Readonly<Record<string, unknown>>;
  const rest: Record<string, unknown> = {};
  let any = false;
  for (const key in fields) {
    if (columns.has(key)) continue;
    rest[key] = fields[key];
    any = true;
  }
  return any ? JSON.stringify(rest) : '{}';
}

/**
 * A field of an order's first row left out of its payload because it says nothing: nothing filled yet, no fill
 * price, not reduce-only, made at the time of the row.
 */
function atDefault(key: string, value: unknown, rowTime: unknown): boolean {
  if (key === 'filledQuantity') return value === 0;
  if (key === 'averageFillPrice') return value === null || (typeof value === 'number' && Number.isNaN(value));
  if (key === 'reduceOnly') return value === false;
  return key === 'time' && value === rowTime;
}

/** The fields of `order` (but its columns) that differ from `first`, as JSON. */
function changedSince(order: Readonly<Record<string, unknown>>, first: Readonly<Record<string, unknown>>): string {
  const changed: Record<string, unknown> = {};
  for (const key in order) if (!ORDER_COLUMNS.has(key) && !Object.is(order[key], first[key])) changed[key] = order[key];
  return JSON.stringify(changed);
}

/**
 * Subscribes to the bus and turns each event into a journal row through `add`. A trader's record is kept whole
 * (signals, risk decisions, orders, fills, positions, trades, risk events) but compactly: payloads hold only
 * what the columns do not, equity curves are thinned unless asked otherwise, and ignored signals and plugin
 * problems are kept one by one up to `KEPT_PER_KIND` of a kind and then counted, so a strategy or plugin that
 * misbehaves on every bar cannot fill the disk.
 */
export function recordBus(bus: EventBus, add: (table: EventTable, row: readonly unknown[]) => void, options: RecordOptions): { stop(): void; flush(): void } {
  const thinner = options.equity === 'every-bar' ? undefined : new EquityThinner(options.equityBucketMs ?? DAY_MS, (time, strategyId, equity) => add('equity', [time, strategyId, equity]));
  const kept = new Map<string, number>();
  /** Whether the n-th row of a kind is kept (the first KEPT_PER_KIND), the row after them saying that more follow. */
  const keep = (table: EventTable, key: string, row: (message: string | undefined) => readonly unknown[]) => {
    const n = (kept.get(key) ?? 0) + 1;
    kept.set(key, n);
    if (n <= KEPT_PER_KIND) add(table, row(undefined));
    else if (n === KEPT_PER_KIND + 1) add(table, row(`more of these follow and are not kept one by one (after ${KEPT_PER_KIND})`));
  };
  /** Per order id: its strategy (whose curve a fill changes) and its first row's fields (later rows hold what changed). */
  const orders = new Map<string, { strategyId: string; first: Readonly<Record<string, unknown>> }>();
  const orderPayload = (order: { readonly id: string; readonly strategyId: string }): string => {
    const fields = order as unknown as Readonly<Record<string, unknown>>;
    const known = orders.get(order.id);
    if (known !== undefined) return changedSince(fields, known.first);
    // Its own fields, not the order: the order holds its signal, which the map must not keep alive.
    const first: Record<string, unknown> = {};
    const shown: Record<string, unknown> = {};
    for (const key in fields) {
      if (ORDER_COLUMNS.has(key)) continue;
      first[key] = fields[key];
      if (!atDefault(key, fields[key], fields.updatedAt)) shown[key] = fields[key];
    }
    orders.set(order.id, { strategyId: order.strategyId, first });
    if (orders.size > ORDERS_REMEMBERED) orders.delete(orders.keys().next().value!);
    return JSON.stringify(shown);
  };
  let lastTime = 0;
  const pluginEvent = (pluginId: string, kind: string, code: string, message: string, time = lastTime) =>
    keep('plugin_events', `p\u0000${pluginId}\u0000${kind}\u0000${code}`, (more) => [time, pluginId, kind, code, more ?? message]);

  const off = [
    bus.subscribe('signal', (e) => add('signals', [e.signal.time ?? 0, e.strategyId, e.signal.symbol, e.signal.side, e.signal.strength, e.shadow ? 1 : 0, e.signal.reason ?? null, restOf(e.signal, SIGNAL_COLUMNS)])),
    bus.subscribe('risk-decision', (e) => {
      const d = e.decision;
      // An exit passed without a plugin that could not answer says so in the code and message.
      const code = d.action === 'allow' ? (e.passedWithout?.code ?? null) : d.code;
      const message = d.action === 'allow' ? (e.passedWithout?.message ?? null) : d.message;
      add('risk_decisions', [e.intent.time, e.intent.id, e.intent.strategyId, e.intent.symbol, e.pluginId, d.action, code, message, d.action === 'resize' ? d.quantity : null]);
    }),
    bus.subscribe('risk-verdict', (e) => add('risk_verdicts', [e.intent.time, e.intent.id, e.approved ? 1 : 0, e.quantity, e.deniedBy ?? null, e.code ?? null, e.message ?? null])),
    bus.subscribe('order', (o) => add('orders', [o.id, o.updatedAt, o.strategyId, o.symbol, o.side, o.type, o.quantity, o.status, o.reason ?? null, orderPayload(o)])),
    bus.subscribe('fill', (f) => {
      // An exit's order id is its entry's with a suffix (`ma-1:stop-loss`): the strategy is the entry's.
      thinner?.bookChanged(orders.get(f.orderId)?.strategyId ?? orders.get(f.orderId.split(':')[0]!)?.strategyId);
      add('fills', [f.orderId, f.time, f.symbol, f.side, f.quantity, f.price, f.fee, f.tradeId ?? null]);
    }),
    bus.subscribe('position', (p) => add('positions', [p.openedAt, p.symbol, p.quantity, p.averagePrice, p.marketPrice, p.realizedPnl, p.unrealizedPnl])),
    bus.subscribe('trade', (t) => add('trades', [t.strategyId, t.symbol, t.direction, t.quantity, t.entryTime, t.exitTime, t.pnl, t.fees, t.exitReason ?? null])),
    bus.subscribe('signal-ignored', (e) =>
      keep('ignored_signals', `i\u0000${e.strategyId}\u0000${e.code}`, (more) => [e.time, e.strategyId, e.signal.symbol, e.signal.side, e.code, more ?? e.message]),
    ),
    bus.subscribe('equity', (e) => {
      // The run's time as far as the journal knows it: what a plugin event without a time of its own is dated.
      lastTime = e.time;
      if (thinner === undefined) add('equity', [e.time, e.strategyId ?? '', e.equity]);
      else thinner.add(e.time, e.strategyId ?? '', e.equity);
    }),
    bus.subscribe('risk', (e) => add('risk_events', [e.time, e.pluginId, e.level, e.code, e.message, e.symbol ?? null])),
    // What went wrong with plugins: each failure and refusal, at most KEPT_PER_KIND of a kind per plugin.
    bus.subscribe('hook-failure', (e) => pluginEvent(e.pluginId, 'hook-failure', e.hook, e.error.message)),
    bus.subscribe('bar-refused', (e) => pluginEvent(e.pluginId, 'bar-refused', e.code, `${e.symbol}: ${e.message}`, e.time)),
    bus.subscribe('events-dropped', (e) => pluginEvent(e.pluginId, 'events-dropped', e.topic, `${e.dropped} ${e.topic} event${e.dropped === 1 ? '' : 's'} dropped over its rate`)),
    bus.subscribe('health', (e) => {
      if (e.report.status !== 'healthy') pluginEvent(e.pluginId, 'health', e.report.status.toUpperCase(), e.report.message ?? e.report.status, e.time);
    }),
    // Actions taken on a running session from outside (halt, stop, disable…), under the plugin id `control`.
    bus.subscribe('control', (e) => pluginEvent('control', 'control', e.action.toUpperCase(), `${e.action}${e.target === undefined ? '' : ` ${e.target}`} by ${e.origin}`, e.time)),
    bus.subscribe('lifecycle', (t) => {
      if (t.to === 'disabled' || t.to === 'error') pluginEvent(t.pluginId, 'state', t.to.toUpperCase(), t.reason);
    }),
  ];
  return {
    flush: () => thinner?.flush(),
    stop: () => {
      for (const o of off) o();
      thinner?.flush();
    },
  };
}
