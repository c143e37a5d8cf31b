import { BacktestEngine, barProblem, checkedSeries, mergeBars, type EngineState, type RefusedBar } from '@trading-orchestrator/engine';
import { ConfigInvalidError, timeframeToMs, type Bar, type Broker, type Order, type OrderIntent } from '@trading-orchestrator/plugin-api';
import type { PluginManager } from '@trading-orchestrator/core-manager';
import type { PluginCatalog } from '@trading-orchestrator/registry';
import type { RunConfig } from '../config/run-config.js';
import { untilAborted } from './interruption.js';
import { sourceOf } from '../config/data-sources.js';
import { liveSideFeeds } from './live-side-feeds.js';
import { mergeStreams } from './merge-streams.js';
import type { FillCursorState } from '../live/fill-cursor.js';
import { LiveLink, type LiveOptions } from '../live/live-link.js';
import { OrderLatency } from '../live/order-latency.js';
import { ReportInbox } from '../live/report-inbox.js';
import { brokerInstanceId, prepareRun, type BacktestOutcome, type PrepareOptions, type RunHooks } from './run-backtest.js';

/** What a paper session saves after every bar it trades on, and resumes from after its process died. */
export interface PaperCheckpoint {
  readonly engine: EngineState;
  /** `snapshot()` of every plugin that has one (the paper broker's working orders and brackets among them), by instance id. */
  readonly plugins: Readonly<Record<string, unknown>>;
  /** A live session's venue trades booked, so a resumed one books exactly the ones it missed. */
  readonly live?: { readonly fills?: FillCursorState | undefined };
}

export interface PaperHooks extends RunHooks {
  /** Continue a session from its last checkpoint (taken after the bar that opened at `time`). */
  readonly resumeFrom?: { readonly time: number; readonly state: PaperCheckpoint };
  /** Called after every bar the session traded on, with the state to resume from. */
  readonly checkpoint?: (time: number, state: PaperCheckpoint) => void;
  /** Ends the session after this many live closed bars (all symbols together); default: until stopped. */
  readonly maxBars?: number;
  /** Told when warm-up is done and the session waits for live bars. */
  readonly onLive?: (info: { warmupBars: number; from: number }) => void;
  /**
   * Told about a closed live bar that arrived after a later bar (of another symbol) was processed. It is left
   * out: processing it would break time order. `latest` is the time of the bar already processed.
   */
  readonly onLateBar?: (bar: Bar, latest: number) => void;
  /** Told when something the session can do without failed (a data plugin's tick or quote stream). */
  readonly onWarning?: (message: string) => void;
  /** Wall-clock time; a parameter so tests can pin it. */
  readonly now?: () => number;
  /** A host rule asked before the run's risk plugins (the control API's halt switch). */
  readonly hostRisk?: PrepareOptions['hostRisk'];
  /** A live session: the venue broker's reports booked, reconciliation, the venue announced (see `LiveLink`). */
  readonly live?: LiveOptions & { readonly cancelEntriesOnStop: boolean };
}

/**
 * A paper session: the same engine, broker and plugins as a backtest, on the data plugin's live closed bars
 * instead of its history. Strategies first see the latest `warmupBars` bars of history, with trading off; from
 * then on every closed live bar is processed as it arrives, until `maxBars`, the stream ends, or the signal
 * aborts (Ctrl-C).
 */
export async function runPaper(config: RunConfig, catalog: PluginCatalog, file = 'the run config', hooks: PaperHooks = {}): Promise<BacktestOutcome> {
  const started = performance.now();
  const resume = hooks.resumeFrom;
  // A live session's broker may report fills from its start: they are held until the session can book them.
  const inbox = hooks.live === undefined ? undefined : new ReportInbox();
  const { manager, sources, engineOptions } = await prepareRun(config, catalog, file, {
    ...(inbox === undefined ? {} : { brokerReports: inbox }),
    ...(resume === undefined ? {} : { restoredStates: resume.state.plugins }),
    ...(hooks.signal === undefined ? {} : { signal: hooks.signal }),
    ...(hooks.hostRisk === undefined ? {} : { hostRisk: hooks.hostRisk }),
  });
  try {
    // A paper session must never place real orders: a broker that says it trades real money needs mode: live.
    if (config.mode === 'paper') {
      const venue = await (manager.get(brokerInstanceId(config))?.instance as Broker | undefined)?.venue?.();
      if (venue?.live === true) {
        throw new ConfigInvalidError(`${file}: broker "${config.broker.plugin}" places real orders on ${venue.venue} (${venue.account}), and this is a paper session`, {
          path: 'mode',
          hint: 'set mode: live (with live: { confirm: true }) to trade for real, use the venue\'s test network (sandbox: true), or leave broker out for the paper broker',
        });
      }
    }
    for (const source of sources) {
      if (source.provider.liveBars === undefined) {
        throw new ConfigInvalidError(`${file}: data plugin "${source.id}" serves no live bars`, {
          path: `${source.path}.plugin`,
          hint: 'a paper session needs a data plugin with the live feed (e.g. data-binance); `trading-orchestrator plugins info <id>` shows its feeds',
        });
      }
    }
    const step = timeframeToMs(config.timeframe);
    const now = hooks.now?.() ?? Date.now();
    // The bar that opened at the last step boundary is still forming: history ends before it.
    const liveFrom = Math.floor(now / step) * step;
    const history = warmupHistory(config, manager);
    const onRefused = (refused: RefusedBar) => manager.bus.publish('bar-refused', refused);
    const warmup: Bar[][] = [];
    for (const symbol of config.symbols) {
      const bars: Bar[] = [];
      if (history > 0) {
        const from = liveFrom - history * step;
        const request = { symbol, timeframe: config.timeframe, start: from, end: liveFrom, ...(hooks.signal === undefined ? {} : { signal: hooks.signal }) };
        const source = sourceOf(sources, symbol);
        // Straight from the plugin: a warm-up is recent history, and caching a month it reaches into would download all of it.
        const pages = checkedSeries(source.provider.historicalBars(request), { pluginId: source.id, symbol, timeframe: config.timeframe, start: from, end: liveFrom, onRefused })[Symbol.asyncIterator]();
        try {
          for (;;) {
            const page = await untilAborted(pages.next(), hooks.signal, `the warm-up download (${symbol})`);
            if (page.done === true) break;
            bars.push(...page.value);
          }
        } finally {
          if (hooks.signal?.aborted === true) void pages.return?.(undefined)?.catch(() => undefined);
        }
      }
      warmup.push(bars);
    }
    // A resumed session trades from the bar after its checkpoint: bars that closed while it was down are caught up.
    const latency = hooks.live === undefined ? undefined : new OrderLatency();
    const engine = new BacktestEngine({ ...engineOptions(resume === undefined ? liveFrom : resume.time + 1), ...(latency === undefined ? {} : { onOrderSent: () => latency.sent() }) });
    // Plugins without snapshot() (strategies, typically) rebuild their state from the warm-up bars instead.
    const snapshotting = (['strategy', 'risk', 'broker'] as const).flatMap((kind) => manager.active(kind)).filter((p) => p.instance.snapshot !== undefined);
    // Bars and ticks reach the engine one at a time, in the order they arrived: a tick never runs inside a bar.
    let serial: Promise<unknown> = Promise.resolve();
    const inTurn = <T>(work: () => T | Promise<T>): Promise<T> => {
      const next = serial.then(work);
      serial = next.catch(() => undefined);
      return next;
    };
    let link: LiveLink | undefined;
    // The bar the next checkpoint resumes after; a live session also checkpoints after each venue report it books.
    let checkpointTime = resume?.time;
    const saveCheckpoint = async () => {
      if (hooks.checkpoint === undefined || checkpointTime === undefined) return;
      const plugins: Record<string, unknown> = {};
      for (const p of snapshotting) plugins[p.id] = await p.instance.snapshot!();
      const fills = link?.fillState() ?? resume?.state.live?.fills;
      hooks.checkpoint(checkpointTime, { engine: engine.snapshot(), plugins, ...(fills === undefined ? {} : { live: { fills } }) });
    };
    const trade = async (bar: Bar) => inTurn(() => tradeNow(bar));
    const tradeNow = async (bar: Bar) => {
      latency?.started();
      await engine.process(bar);
      checkpointTime = bar.time;
      await saveCheckpoint();
    };
    const detach = hooks.attach?.(manager.bus, manager, { portfolio: () => engine.portfolio(), alert: (alert) => inTurn(() => engine.alert(alert)), flatten: (reason) => inTurn(() => engine.flatten(reason)), reload: (id, plugin) => inTurn(() => manager.reload(id, plugin)) });
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    hooks.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      let restored = resume === undefined;
      const warmed = warmup.reduce((n, s) => n + s.length, 0);
      // A resumed live session replays the bars after its checkpoint without sending: what its killed process sent
      // is found at the venue by id, and what it had not sent (a bar that closed while it was down) is not sent late.
      if (hooks.live !== undefined && resume !== undefined) engine.replayOrders((intent) => lookUpReplayed(manager.get(brokerInstanceId(config))?.instance as Broker | undefined, intent));
      for (const bar of mergeBars(warmup)) {
        if (resume === undefined || bar.time <= resume.time) {
          await engine.warm(bar);
          continue;
        }
        if (!restored) {
          engine.restore(resume.state.engine);
          restored = true;
        }
        await trade(bar);
      }
      if (!restored) engine.restore(resume!.state.engine);
      engine.replayOrders(undefined);
      if (hooks.live !== undefined) {
        link = new LiveLink(engine, manager, brokerInstanceId(config), config.symbols, inTurn, hooks.live, { inbox: inbox!, fills: resume?.state.live?.fills, checkpoint: saveCheckpoint });
        await link.start();
      }
      hooks.onLive?.({ warmupBars: warmed, from: liveFrom });
      const sides = sources.map((source) =>
        liveSideFeeds({ source: source.provider, engine, manager, symbols: source.symbols, signal: stop.signal, from: liveFrom, inTurn, warn: (message) => hooks.onWarning?.(message), pluginId: source.id, ...(hooks.now === undefined ? {} : { now: hooks.now }) }),
      );
      let live = 0;
      let latest = -Infinity;
      const symbols = new Set(config.symbols);
      const lastOf = new Map<string, number>();
      const now = hooks.now ?? Date.now;
      if (hooks.maxBars !== 0 && !stop.signal.aborted) {
        const feeds = sources.map((source) => source.provider.liveBars!({ symbols: source.symbols, timeframe: config.timeframe, signal: stop.signal }));
        for await (const update of mergeStreams(feeds)) {
          if (update?.closed !== true) continue;
          latency?.arrived();
          // The host's checks, as on history: a bar that breaks the contract, of another series, from the future or
          // not after the symbol's last is refused and said.
          const bar = update.bar;
          // A bar the warm-up or the resumed checkpoint already covered is not processed twice.
          if (typeof bar === 'object' && bar !== null && (bar.time < liveFrom || bar.time <= (resume?.time ?? -Infinity))) continue;
          const series = typeof bar?.symbol === 'string' && symbols.has(bar.symbol) ? bar.symbol : (config.symbols[0] ?? '');
          const problem = barProblem(bar, series, config.timeframe, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, now, lastOf.get(series) ?? Number.NEGATIVE_INFINITY);
          if (problem !== undefined) {
            onRefused({ pluginId: sourceOf(sources, series).id, symbol: series, code: problem[0], message: problem[1], time: Number.isFinite(bar?.time) ? bar.time : undefined });
            continue;
          }
          lastOf.set(series, bar.time);
          Object.freeze(bar);
          // One that closes after a later bar of another symbol was processed would break time order: left out, and said.
          if (bar.time < latest) {
            hooks.onLateBar?.(bar, latest);
            continue;
          }
          latest = bar.time;
          await trade(bar);
          if (++live >= (hooks.maxBars ?? Infinity)) break;
        }
      }
      await Promise.all(sides.map((side) => side.stop()));
      await serial;
      const cancelled = await link?.close(hooks.live?.cancelEntriesOnStop === true && hooks.signal?.aborted === true);
      if (cancelled !== undefined && cancelled > 0) hooks.onWarning?.(`${cancelled} working entry order${cancelled === 1 ? ' was' : 's were'} cancelled at the venue (live.cancelEntriesOnStop); protective stops stay`);
      link = undefined;
      const latencyLine = latency?.describe();
      if (latencyLine !== undefined) hooks.live!.say(latencyLine);
      return { result: engine.finish(hooks.signal?.aborted === true), config, elapsedMs: performance.now() - started };
    } finally {
      await link?.close(false).catch(() => undefined);
      hooks.signal?.removeEventListener('abort', onAbort);
      stop.abort();
      await hooks.beforeShutdown?.().catch(() => undefined);
      detach?.();
    }
  } finally {
    await manager.shutdown();
  }
}

/** What the venue holds of an order a resumed live session's replay makes: found by its id, or else not sent. */
async function lookUpReplayed(broker: Broker | undefined, intent: OrderIntent): Promise<Order> {
  const notSent = (reason: string): Order => ({ ...intent, status: 'rejected', filledQuantity: 0, averageFillPrice: Number.NaN, reason, updatedAt: intent.time });
  try {
    return (await broker?.orderStatus?.(intent.id, intent.symbol)) ?? notSent('its bar closed while the session was down: a live session does not send an order late');
  } catch (error) {
    // Reconciliation names the order if the venue has it after all; it is never sent twice.
    return notSent(`the venue could not be asked whether the session's previous process sent it (${(error as Error).message}); not sent`);
  }
}

/**
 * Bars of history (in the run's timeframe) a session warms up on: the run's `warmupBars`, or more when a strategy
 * needs more of its own (counted in its coarsest timeframe's bars), so its first live signals already count.
 */
function warmupHistory(config: RunConfig, manager: PluginManager): number {
  const step = timeframeToMs(config.timeframe);
  let bars = config.warmupBars;
  for (const s of config.strategies) {
    const instance = manager.get(s.id ?? s.plugin)?.instance as { warmupBars?: number } | undefined;
    const own = instance?.warmupBars;
    if (!s.enabled || typeof own !== 'number' || !(own > 0)) continue;
    const coarsest = Math.max(step, ...(s.timeframes ?? []).map(timeframeToMs));
    bars = Math.max(bars, Math.ceil((own * coarsest) / step));
  }
  return bars;
}

/** One line saying what a resumed session starts from. */
export function describeResume(runId: number, time: number, state: PaperCheckpoint, mode = 'paper'): string {
  const { ledger } = state.engine;
  const positions = ledger.lots.filter((l) => l.quantity !== 0).map((l) => `${l.symbol} ${l.quantity} for ${l.strategyId}`);
  // Orders in flight as the engine checkpointed them, whichever broker the session uses (a version 1 checkpoint
  // kept only which positions had one).
  const { tracks, working: positionsWorking } = state.engine;
  const working = tracks === undefined ? (positionsWorking?.length ?? 0) : tracks.reduce((n, t) => n + t.working.length + t.pending.length, 0);
  return `resuming ${mode} run ${runId} from its checkpoint after the bar of ${new Date(time).toISOString()}: cash ${(ledger.cash / 100).toFixed(2)}, ${positions.length} open position${positions.length === 1 ? '' : 's'}${positions.length > 0 ? ` (${positions.join(', ')})` : ''}, ${working} working order${working === 1 ? '' : 's'}`;
}
