import type { HealthReport } from '../domain/health.js';
import type { MaybePromise } from './maybe-promise.js';

/** Hooks every plugin kind may implement. All are optional. */
export interface PluginLifecycle {
  /** Open connections, start timers. Called after init and again after a stop. */
  start?(): MaybePromise<void>;
  /** Pause: close streams and timers but keep state, so `start` can resume. */
  stop?(): MaybePromise<void>;
  /** Release everything; the instance is never used again. */
  dispose?(): MaybePromise<void>;
  /** Called on the host's health schedule. */
  health?(): MaybePromise<HealthReport>;
  /** JSON-serialisable state to hand to the next instance on reload (see `PluginContext.restoredState`). */
  snapshot?(): MaybePromise<unknown>;
}
