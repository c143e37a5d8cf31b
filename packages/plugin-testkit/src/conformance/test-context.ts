import type { BrokerPluginContext, Fill, Order, PluginContext, RiskEvent, RiskPluginContext } from '@trading-orchestrator/plugin-api';

export interface LogRecord {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly data?: Readonly<Record<string, unknown>>;
}

export interface TestContext<Config> extends RiskPluginContext<Config>, BrokerPluginContext<Config> {
  /** Everything the plugin logged, in order. */
  readonly logs: LogRecord[];
  readonly raised: RiskEvent[];
  readonly fills: Fill[];
  readonly orders: Order[];
  /** What a broker said of its venue's connection (`reportConnection`), in order: 'down', 'up'. */
  readonly connection: ('down' | 'up')[];
  /** Current simulated time; change it to move the clock. */
  now: number;
}

/**
 * A context for calling a plugin's `init` in a test: records logs and everything the plugin publishes; the
 * clock is a settable number. Works for every kind.
 */
export function createTestContext<Config>(config: Config, options: { pluginId?: string; restoredState?: unknown; configDir?: string } = {}): TestContext<Config> {
  const logs: LogRecord[] = [];
  const record = (level: LogRecord['level']) => (message: string, data?: Readonly<Record<string, unknown>>) => {
    logs.push(data === undefined ? { level, message } : { level, message, data });
  };
  const ctx: TestContext<Config> = {
    pluginId: options.pluginId ?? 'under-test',
    config,
    logger: { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') },
    clock: { now: () => ctx.now },
    signal: new AbortController().signal,
    ...(options.restoredState === undefined ? {} : { restoredState: options.restoredState }),
    ...(options.configDir === undefined ? {} : { configDir: options.configDir }),
    subscribe: () => () => undefined,
    logs,
    raised: [],
    fills: [],
    orders: [],
    connection: [],
    now: 0,
    raise: (event) => {
      ctx.raised.push({ ...event, time: event.time ?? ctx.now });
    },
    reportFill: (fill) => {
      ctx.fills.push(fill);
    },
    reportOrder: (order) => {
      ctx.orders.push(order);
    },
    reportConnection: (state) => {
      ctx.connection.push(state);
    },
  };
  return ctx;
}

export type { PluginContext };
