import type {
  BrokerPluginContext,
  IndicatorReader,
  Fill,
  Order,
  PluginClock,
  PluginContext,
  PluginContextByKind,
  PluginKind,
  PluginLogger,
  PluginTopic,
  RiskEvent,
  RiskPluginContext,
} from '@trading-orchestrator/plugin-api';
import type { EventBus } from '../events/event-bus.js';
import type { EventMap } from '../events/event-map.js';
import type { HookGuard } from '../guard/hook-guard.js';
import { RETURN_VALIDATORS } from '../guard/return-validators.js';
import { TokenBucket } from '../util/token-bucket.js';
import type { ManagedPlugin } from './managed-plugin.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogSink = (level: LogLevel, pluginId: string, message: string, data?: Readonly<Record<string, unknown>>) => void;

/**
 * Where a broker's asynchronous reports go when the host books them itself (a live session): fills in turn with
 * the bars, order states, the venue's connection. Without one they are published on the bus as they come.
 */
export interface BrokerReports {
  fill(pluginId: string, fill: Fill): void;
  order(pluginId: string, order: Order): void;
  connection(pluginId: string, state: 'down' | 'up', detail: string | undefined): void;
}

const FILL_CHECK = RETURN_VALIDATORS.broker['onBar']!;

/** Trade ids a broker reported lately: enough to recognise a replay after a reconnect, bounded whatever the run's length. */
const SEEN_TRADES = 10_000;

export interface ContextDeps {
  readonly bus: EventBus;
  readonly guard: HookGuard;
  readonly clock: PluginClock;
  readonly log: LogSink;
  /** Burst and sustained rate of events one plugin may publish. */
  readonly eventRate: { readonly burst: number; readonly perSecond: number };
  readonly indicators?: IndicatorReader;
  readonly brokerReports?: () => BrokerReports | undefined;
}

function loggerFor(pluginId: string, log: LogSink): PluginLogger {
  return {
    debug: (message, data) => log('debug', pluginId, message, data),
    info: (message, data) => log('info', pluginId, message, data),
    warn: (message, data) => log('warn', pluginId, message, data),
    error: (message, data) => log('error', pluginId, message, data),
  };
}

/**
 * The context a plugin's `init` receives: its config, logger and clock, an abort signal for its lifetime,
 * bus subscriptions owned by the plugin (removed on unload, silent while it is not active, failures counted
 * against it), and for risk and broker plugins a rate-limited way to publish.
 */
export function createPluginContext(
  plugin: ManagedPlugin,
  deps: ContextDeps,
  restoredState: unknown,
  instance: { readonly config: unknown; readonly owner: string; readonly abort: AbortController },
): PluginContextByKind<unknown>[PluginKind] {
  const { bus, guard, clock } = deps;
  const { abort, owner } = instance;
  // Measured on the run's clock: a backtest's burst of events per bar is judged in simulated time, the same every run.
  const bucket = new TokenBucket(deps.eventRate.burst, deps.eventRate.perSecond, () => clock.now());
  let droppedSinceReport = 0;

  // Only the instance in place counts: during a reload the next one starts beside it and is silent until swapped in.
  const current = () => plugin.owner === owner;
  const running = () => (plugin.machine.state === 'active' || plugin.machine.state === 'initialising') && current();
  /** Whether an event on `topic` is within the plugin's rate; one that is not is counted and reported as dropped. */
  const admitted = (topic: keyof EventMap): boolean => {
    if (!running()) return false;
    if (bucket.take()) {
      if (droppedSinceReport > 0) {
        bus.publish('events-dropped', { pluginId: plugin.id, topic, dropped: droppedSinceReport });
        droppedSinceReport = 0;
      }
      return true;
    }
    plugin.droppedEvents++;
    if (droppedSinceReport++ === 0) bus.publish('events-dropped', { pluginId: plugin.id, topic, dropped: 1 });
    return false;
  };

  const base: PluginContext<unknown> = {
    pluginId: plugin.id,
    config: instance.config,
    logger: loggerFor(plugin.id, deps.log),
    clock,
    signal: abort.signal,
    ...(plugin.spec.configDir === undefined ? {} : { configDir: plugin.spec.configDir }),
    ...(deps.indicators === undefined ? {} : { indicators: deps.indicators }),
    ...(restoredState === undefined ? {} : { restoredState }),
    subscribe: (topic: PluginTopic, handler: (payload: never) => void) =>
      bus.subscribe(
        topic,
        (payload) => {
          if (plugin.machine.state !== 'active' || !current()) return;
          try {
            handler(payload as never);
          } catch (error) {
            guard.recordFailure(plugin.guarded, `subscribe:${topic}`, error);
          }
        },
        owner,
      ),
  };

  if (plugin.kind === 'risk') {
    const risk: RiskPluginContext<unknown> = {
      ...base,
      raise: (event: Omit<RiskEvent, 'time'> & { readonly time?: number }) => {
        // The rate applies whether or not anyone listens; the stamped copy is made only for a listener.
        if (admitted('risk') && bus.hasSubscribers('risk')) bus.publish('risk', { ...event, time: event.time ?? clock.now(), pluginId: plugin.id });
      },
    };
    return risk;
  }
  if (plugin.kind === 'broker') {
    const seen = new Set<string>();
    const seenOrder: string[] = [];
    /** Whether a fill with this trade id was reported already; remembers it if not. */
    const duplicate = (tradeId: string | undefined): boolean => {
      if (tradeId === undefined) return false;
      if (seen.has(tradeId)) return true;
      seen.add(tradeId);
      seenOrder.push(tradeId);
      if (seenOrder.length > SEEN_TRADES) seen.delete(seenOrder.shift()!);
      return false;
    };
    const broker: BrokerPluginContext<unknown> = {
      ...base,
      // A broker's fills and order states are the record of trading: never throttled, never dropped, booked once.
      reportFill: (fill: Fill) => {
        if (!running()) return;
        const problem = FILL_CHECK([fill]);
        if (problem !== undefined) return guard.recordFailure(plugin.guarded, 'reportFill', new Error(problem.replace('fill [0]', 'the reported fill')));
        if (duplicate(fill.tradeId)) return;
        const sink = deps.brokerReports?.();
        if (sink === undefined) bus.publish('fill', fill);
        else sink.fill(plugin.id, fill);
      },
      reportOrder: (order: Order) => {
        if (!running()) return;
        const sink = deps.brokerReports?.();
        if (sink === undefined) bus.publish('order', order);
        else sink.order(plugin.id, order);
      },
      reportConnection: (state: 'down' | 'up', detail?: string) => {
        if (!running()) return;
        deps.brokerReports?.()?.connection(plugin.id, state, detail);
      },
    };
    return broker;
  }
  return base;
}
