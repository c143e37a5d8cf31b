import type { EpochMs } from '../domain/bar.js';
import type { PluginEventMap, PluginTopic, Unsubscribe } from './events.js';

export interface PluginLogger {
  debug(message: string, data?: Readonly<Record<string, unknown>>): void;
  info(message: string, data?: Readonly<Record<string, unknown>>): void;
  warn(message: string, data?: Readonly<Record<string, unknown>>): void;
  error(message: string, data?: Readonly<Record<string, unknown>>): void;
}

/** The run's clock: simulated time in a backtest, wall-clock time when paper or live trading. */
export interface PluginClock {
  now(): EpochMs;
}

/** The latest outputs of the indicator plugins a run configures, per symbol. */
export interface IndicatorReader {
  /** The ids of the run's indicators. */
  readonly ids: readonly string[];
  /**
   * The latest value of indicator `id`'s output (its first by default, or the one named, e.g. `"upper"`) for
   * `symbol`, updated with each of the symbol's bars before strategies see the bar; NaN while it warms up. An id or
   * output the run does not have throws, naming what it has.
   */
  value(id: string, symbol: string, output?: string): number;
}

/** What the host hands a plugin when it initialises it. */
export interface PluginContext<Config> {
  /** The id this instance runs under (the manifest id, or an alias the user configured). */
  readonly pluginId: string;
  /** The user's config, already validated against the plugin's schema. */
  readonly config: Config;
  readonly logger: PluginLogger;
  readonly clock: PluginClock;
  /**
   * Aborted when the plugin's life in the run ends: after its `stop` hook when the host shuts the run down or
   * unloads it (before `dispose`), and when it fails. Pass it to fetches, timers and streams. A pause (`stop`
   * then `enable` on the control API) calls the hooks and leaves the signal alone.
   */
  readonly signal: AbortSignal;
  /**
   * The folder of the run file that configured this plugin: resolve relative paths in the config (a data folder, a
   * model file) from here, as the host does for its own paths. Undefined when the run has no file (built in code):
   * use the current folder then.
   */
  readonly configDir?: string;
  /**
   * The run's indicators (its `indicators:` list), as of the bar being handed to this plugin: a strategy reads
   * `indicators.value('rsi14', bar.symbol)` in `onBar`. Absent on hosts without indicator support.
   */
  readonly indicators?: IndicatorReader;
  /** State returned by the previous instance's `snapshot()` when the host reloads the plugin. */
  readonly restoredState?: unknown;
  /**
   * Listen to the run's events. Handlers run synchronously on the publishing path: keep them short. The host
   * removes every subscription when the plugin is unloaded; the returned function removes one earlier.
   */
  subscribe<T extends PluginTopic>(topic: T, handler: (payload: PluginEventMap[T]) => void): Unsubscribe;
}
