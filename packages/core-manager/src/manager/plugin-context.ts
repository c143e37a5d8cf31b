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
import { TokenBucket } from '../util/token-bucket.js';
import type { ManagedPlugin } from './managed-plugin.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogSink = (level: LogLevel, pluginId: string, message: string, data?: Readonly<Record<string, unknown>>) => void;

export interface ContextDeps {
  readonly bus: EventBus;
  readonly guard: HookGuard;
  readonly clock: PluginClock;
  readonly log: LogSink;
  /** Burst and sustained rate of events one plugin may publish. */
  readonly eventRate: { readonly burst: number; readonly perSecond: number };
  readonly indicators?: IndicatorReader;
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
  const publishIfRunning = <T extends keyof EventMap>(topic: T, payload: EventMap[T]): void => {
    if (running()) bus.publish(topic, payload);
  };
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
    const broker: BrokerPluginContext<unknown> = {
      ...base,
      // A broker's fills and order states are the record of trading: never throttled, never dropped.
      reportFill: (fill: Fill) => publishIfRunning('fill', fill),
      reportOrder: (order: Order) => publishIfRunning('order', order),
    };
    return broker;
  }
  return base;
}
