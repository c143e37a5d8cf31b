import {
  ConfigInvalidError,
  DependencyFailedError,
  LoadFailedError,
  validateConfig,
  type IndicatorReader,
  type PluginDefinition,
  type PluginClock,
  type PluginInstanceByKind,
  type PluginKind,
  type Problem,
} from '@trading-orchestrator/plugin-api';
import { EventBus } from '../events/event-bus.js';
import { HOOK_FAILED, HookGuard, GuardedPlugin, type HookLimits, type UnsettledCall } from '../guard/hook-guard.js';
import { PluginStateMachine } from '../lifecycle/state-machine.js';
import { dependencyOrder } from './dependency-order.js';
import { dependencyIds, unmetDependency } from './plugin-dependencies.js';
import { loadDefinition } from './load-definition.js';
import type { ManagedPlugin, PluginStatus, PluginTimings } from './managed-plugin.js';
import { createPluginContext, type BrokerReports, type LogSink } from './plugin-context.js';
import type { LoadablePlugin, PluginSpec } from './plugin-spec.js';

export interface PluginManagerOptions {
  readonly bus?: EventBus;
  /** The run's clock handed to plugins; wall-clock by default. */
  readonly clock?: PluginClock;
  readonly log?: LogSink;
  /** Consecutive hook failures after which a plugin is disabled. Default 5. */
  readonly maxConsecutiveFailures?: number;
  /** Default hook time limits. Default 1 s soft, 5 s hard. */
  readonly defaultLimits?: HookLimits;
  /** Time limits of `init`, `start`, `stop` and `dispose`. Default 5 s soft, 30 s hard. */
  readonly lifecycleLimits?: HookLimits;
  /** Transitions kept per plugin. Default 64. */
  readonly historyLimit?: number;
  /** Events a plugin may publish: burst and sustained per second. Default 1,000 and 1,000. */
  readonly eventRate?: { readonly burst: number; readonly perSecond: number };
  /** The run's indicator values, handed to every plugin's context (`context.indicators`). */
  readonly indicators?: IndicatorReader;
}

export interface StartReport {
  readonly started: string[];
  readonly failed: { readonly id: string; readonly error: Error }[];
}

/** What `reload` did: the versions it went from and to, and when it failed (the old instance still running), why. */
export type ReloadResult = { readonly ok: true; readonly from: string; readonly to: string } | { readonly ok: false; readonly from: string; readonly to: string; readonly error: Error };

export interface ShutdownReport {
  /** Hook calls whose promise never settled: each names the plugin and hook. */
  readonly unsettled: UnsettledCall[];
}

const defaultLog: LogSink = (level, pluginId, message) => {
  if (level === 'warn' || level === 'error') process.stderr.write(`[${level}] ${pluginId}: ${message}\n`);
};

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

/**
 * Loads plugin instances, validates every config before anything starts, starts them in dependency order and
 * takes them down again; enable, disable and reload at run time. Every call into a plugin goes through the
 * guard, and every state change is recorded and published on `lifecycle`. One concept, a plugin's life, over ~490
 * lines: load, start, hot swap and unload share the private steps (import, init, lifecycle calls, failure marking)
 * that a split would have to expose.
 */
export class PluginManager {
  readonly bus: EventBus;
  readonly guard: HookGuard;
  private readonly clock: PluginClock;
  private readonly indicators: IndicatorReader | undefined;
  private readonly log: LogSink;
  private readonly historyLimit: number;
  private readonly eventRate: { readonly burst: number; readonly perSecond: number };
  private readonly plugins = new Map<string, ManagedPlugin>();
  private startOrder: string[] = [];
  private transitions = 0;
  private reports: BrokerReports | undefined;
  /** Instances swapped by `reload`: a hot loop that binds hooks to instances must look again after one. */
  private swaps = 0;
  /** Set by `shutdown`: a start still in flight (Ctrl-C during start-up) starts nothing more and unwinds what it had. */
  private closing = false;

  constructor(options: PluginManagerOptions = {}) {
    this.bus = options.bus ?? new EventBus();
    this.clock = options.clock ?? { now: () => Date.now() };
    this.indicators = options.indicators;
    this.log = options.log ?? defaultLog;
    this.historyLimit = options.historyLimit ?? 64;
    this.eventRate = options.eventRate ?? { burst: 1_000, perSecond: 1_000 };
    this.guard = new HookGuard({
      bus: this.bus,
      ...(options.maxConsecutiveFailures === undefined ? {} : { maxConsecutiveFailures: options.maxConsecutiveFailures }),
      ...(options.defaultLimits === undefined ? {} : { defaultLimits: options.defaultLimits }),
      ...(options.lifecycleLimits === undefined ? {} : { lifecycleLimits: options.lifecycleLimits }),
      onTrip: (guarded, lastError) => this.trip(guarded.id, lastError.message),
    });
  }

  /**
   * How many state transitions any of its plugins has made. A hot loop that skips inactive plugins may remember
   * their states and look again only when this has moved, instead of asking each plugin on every call.
   */
  get stateChanges(): number {
    return this.transitions + this.swaps;
  }

  /**
   * Imports every plugin and validates every config. Throws a CONFIG_INVALID error listing every bad field of
   * every plugin, or the load failure of a plugin whose policy is `abort`, before anything has started.
   */
  async load(specs: readonly PluginSpec[]): Promise<{ loaded: string[]; failed: { id: string; error: Error }[] }> {
    this.closing = false;
    const ids = specs.map((s) => s.instanceId ?? s.plugin.manifest?.id ?? s.plugin.id);
    const duplicates: Problem[] = ids
      .map((id, i) => ({ id, i }))
      .filter(({ id, i }) => ids.indexOf(id) !== i || this.plugins.has(id))
      .map(({ id, i }) => ({ path: specs[i]?.configPath ?? id, message: `instance id "${id}" is already in use; give this one its own id`, severity: 'error' }));
    if (duplicates.length > 0) throw new ConfigInvalidError('two plugin instances share an id', { problems: duplicates, hint: 'give each instance a distinct id' });

    const created = specs.map((spec, i) => this.create(spec, ids[i]!));
    const failed: { id: string; error: Error }[] = [];
    for (const p of created) {
      const error = await this.importCode(p);
      if (error !== undefined) failed.push({ id: p.id, error });
    }
    const problems: Problem[] = [];
    for (const p of created) {
      if (p.definition === undefined) continue;
      const result = await validateConfig(p.definition.configSchema, p.spec.config ?? {}, { pathPrefix: p.spec.configPath ?? `${p.id}.config` });
      if (result.ok) p.config = result.value;
      else problems.push(...result.problems);
    }
    if (problems.length > 0) {
      throw new ConfigInvalidError(`plugin config is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'})`, { problems });
    }
    const fatal = failed.filter((f) => (this.plugins.get(f.id)?.spec.onFailure ?? 'abort') === 'abort');
    if (fatal.length === 1) throw fatal[0]!.error;
    if (fatal.length > 1) {
      throw new LoadFailedError(`${fatal.length} plugins failed to load`, {
        problems: fatal.map((f) => ({ path: f.id, message: f.error.message, severity: 'error' as const })),
      });
    }
    return { loaded: created.filter((p) => p.machine.state === 'loaded').map((p) => p.id), failed };
  }

  /**
   * Initialises and starts every loaded plugin, dependencies first. A plugin whose dependency failed fails with
   * a message naming it. When a plugin with policy `abort` fails, the ones already started are stopped and
   * unloaded and the error is thrown.
   */
  async start(): Promise<StartReport> {
    const waiting = [...this.plugins.values()].filter((p) => p.machine.state === 'loaded').map((p) => p.id);
    const { order, cyclic } = dependencyOrder(waiting, (id) => dependencyIds(this.plugins.get(id)!, this.plugins.values()));
    const started: string[] = [];
    const failed: { id: string; error: Error }[] = [];
    const fail = async (p: ManagedPlugin, error: Error): Promise<void> => {
      this.markFailed(p, error);
      failed.push({ id: p.id, error });
      if ((p.spec.onFailure ?? 'abort') === 'abort') {
        await this.shutdown();
        throw error;
      }
    };
    for (const id of cyclic) {
      const p = this.plugins.get(id)!;
      await fail(p, new DependencyFailedError(`plugin "${id}" cannot start: its dependencies form a cycle (${cyclic.join(', ')})`, {
        pluginId: id,
        dependency: cyclic.join(', '),
        hint: 'remove one of the "dependencies" entries in the manifests of these plugins',
      }));
    }
    for (const id of order) {
      if (this.closing) break;
      const p = this.plugins.get(id)!;
      const blocker = unmetDependency(p, this.plugins.values());
      if (blocker !== undefined) {
        await fail(p, blocker);
        continue;
      }
      const error = await this.initAndStart(p, p.spec.restoredState);
      if (error === undefined && this.closing) {
        // The run was shut down while this plugin started: it is the last one, and it goes at once.
        await this.unload(id, 'shutdown during start-up');
      } else if (error === undefined) {
        started.push(id);
        this.startOrder.push(id);
      } else {
        await fail(p, error);
      }
    }
    return { started, failed };
  }

  /** Pauses an active plugin; its state is kept. */
  async stop(id: string, reason = 'stopped by request'): Promise<void> {
    const p = this.require(id);
    if (p.machine.state !== 'active') return;
    await this.callLifecycle(p, 'stop');
    p.machine.transition('stopped', reason);
  }

  /** Takes a plugin out of the run (it is stopped and receives nothing) until `enable`. */
  async disable(id: string, reason = 'disabled by request'): Promise<void> {
    const p = this.require(id);
    const wasActive = p.machine.state === 'active';
    if (p.machine.state === 'disabled') return;
    p.machine.transition('disabled', reason);
    if (wasActive) await this.callLifecycle(p, 'stop');
  }

  /** Brings a disabled (or stopped) plugin back: its failure count is cleared and `start` is called. */
  async enable(id: string, reason = 'enabled by request'): Promise<void> {
    const p = this.require(id);
    if (p.machine.state === 'active') return;
    p.guarded.reset();
    if (p.instance === undefined) {
      throw new LoadFailedError(`plugin "${id}" was never initialised and cannot be enabled`, { pluginId: id, hint: `reload it instead` });
    }
    const result = await this.callLifecycle(p, 'start');
    if (result === HOOK_FAILED) {
      this.markFailed(p, p.guarded.lastError ?? new Error('start failed'));
      return;
    }
    p.machine.transition('active', reason);
  }

  /**
   * Swaps a running plugin for its code imported again, or for `replacement` (a newer version of the package,
   * installed since): the new code is imported, its config checked, and an instance initialised with the old one's
   * snapshot and started while the old one keeps running; only then is the old one stopped and disposed. When any
   * step fails the old instance stays in place, untouched, and the answer says why. A plugin with no instance (it
   * failed to start) is imported and started afresh. ESM never evicts a module, so every reload leaves the previous
   * module in memory (see docs/architecture.md); the runner bounds how often it does this.
   */
  async reload(id: string, replacement?: LoadablePlugin): Promise<ReloadResult> {
    const p = this.require(id);
    const source = replacement ?? p.source;
    const from = p.source.version;
    if (p.instance === undefined) return this.restart(p, source);
    const generation = p.generation + 1;
    const refused = (error: Error): ReloadResult => {
      // The new code failed, not the running instance: its failure streak (toward the breaker) is not extended.
      p.guarded.succeeded();
      this.log('warn', id, `reload to ${source.version} failed, ${from} keeps running: ${error.message}`);
      return { ok: false, from, to: source.version, error };
    };
    let definition: PluginDefinition;
    try {
      definition = await loadDefinition(source, id, generation);
    } catch (error) {
      return refused(asError(error));
    }
    if (definition.kind !== p.kind) return refused(new LoadFailedError(`plugin "${id}": the new code defines a ${definition.kind} plugin, not a ${p.kind}`, { pluginId: id }));
    const checked = await validateConfig(definition.configSchema, p.spec.config ?? {}, { pathPrefix: p.spec.configPath ?? `${p.id}.config` });
    if (!checked.ok) return refused(new ConfigInvalidError(`the config of "${id}" is invalid for ${source.version}`, { pluginId: id, problems: checked.problems }));
    const snapshot = p.instance.snapshot === undefined ? undefined : await this.callLifecycle(p, 'snapshot');
    const owner = `${id}@${generation}`;
    const abort = new AbortController();
    const context = createPluginContext(p, this.contextDeps(), snapshot === HOOK_FAILED ? undefined : snapshot, { config: checked.value, owner, abort });
    const next = await this.guard.call(this.guard.site(p.guarded, 'init', definition), context);
    const discard = async (instance: unknown) => {
      abort.abort(new Error(`plugin "${id}": the reloaded instance was discarded`));
      if (instance !== undefined && instance !== HOOK_FAILED) await this.guard.call(this.guard.site(p.guarded, 'dispose', instance as object), undefined);
      this.bus.removeOwner(owner);
    };
    if (next === HOOK_FAILED) {
      await discard(undefined);
      return refused(p.guarded.lastError ?? new Error('init failed'));
    }
    const wasActive = p.machine.state === 'active';
    if (wasActive && (await this.guard.call(this.guard.site(p.guarded, 'start', next as object), undefined)) === HOOK_FAILED) {
      await discard(next);
      return refused(p.guarded.lastError ?? new Error('start failed'));
    }
    // The old instance's failures are not the new one's.
    p.guarded.reset();
    const old = { instance: p.instance, abort: p.abort, owner: p.owner };
    Object.assign(p, { instance: next, definition, config: checked.value, abort, owner, generation, source });
    this.swaps++;
    if (wasActive) await this.guard.call(this.guard.site(p.guarded, 'stop', old.instance), undefined);
    old.abort?.abort(new Error(`plugin "${id}" reloaded`));
    await this.guard.call(this.guard.site(p.guarded, 'dispose', old.instance), undefined);
    this.bus.removeOwner(old.owner);
    this.log('info', id, `reloaded: ${from} -> ${source.version}`);
    return { ok: true, from, to: source.version };
  }

  /** Reload of a plugin that has no instance: nothing to keep running, so it is imported and started afresh. */
  private async restart(p: ManagedPlugin, source: LoadablePlugin): Promise<ReloadResult> {
    const from = p.source.version;
    if (p.machine.state !== 'unloaded') await this.unload(p.id, 'reloading');
    p.generation++;
    p.source = source;
    const importError = await this.importCode(p);
    if (importError !== undefined) return { ok: false, from, to: source.version, error: importError };
    const result = await validateConfig(p.definition!.configSchema, p.spec.config ?? {}, { pathPrefix: p.spec.configPath ?? `${p.id}.config` });
    if (!result.ok) {
      const error = new ConfigInvalidError(`config for plugin "${p.id}" is invalid for the reloaded code`, { pluginId: p.id, problems: result.problems });
      this.markFailed(p, error);
      return { ok: false, from, to: source.version, error };
    }
    p.config = result.value;
    const error = await this.initAndStart(p, undefined);
    if (error !== undefined) return { ok: false, from, to: source.version, error };
    if (!this.startOrder.includes(p.id)) this.startOrder.push(p.id);
    return { ok: true, from, to: source.version };
  }

  /** Stops (when active), disposes and forgets the plugin's subscriptions. */
  async unload(id: string, reason = 'unloaded by request'): Promise<void> {
    const p = this.require(id);
    if (p.machine.state === 'unloaded') return;
    if (p.machine.state === 'active') {
      await this.callLifecycle(p, 'stop');
      p.machine.transition('stopped', reason);
    }
    p.machine.transition('unloading', reason);
    // The signal ends the plugin's streams, timers and fetches once its own stop has run and before dispose, so
    // dispose finds nothing still running.
    p.abort?.abort(new Error(`plugin "${id}" unloaded`));
    if (p.instance !== undefined) await this.callLifecycle(p, 'dispose');
    this.bus.removeOwner(p.owner);
    p.instance = undefined;
    p.machine.transition('unloaded', reason);
  }

  /** Unloads every plugin, last started first, and lists the hook calls that never settled. */
  async shutdown(): Promise<ShutdownReport> {
    this.closing = true;
    const order = [...this.startOrder].reverse();
    for (const id of this.plugins.keys()) if (!order.includes(id)) order.push(id);
    for (const id of order) {
      const p = this.plugins.get(id)!;
      if (p.machine.can('unloading') || p.machine.state === 'active') await this.unload(id, 'shutdown');
    }
    this.startOrder = [];
    return { unsettled: this.guard.unsettled() };
  }

  get(id: string): ManagedPlugin | undefined {
    return this.plugins.get(id);
  }

  /** Active instances of a kind, in start order. */
  active<K extends PluginKind>(kind: K): { id: string; instance: PluginInstanceByKind[K]; plugin: ManagedPlugin }[] {
    const out: { id: string; instance: PluginInstanceByKind[K]; plugin: ManagedPlugin }[] = [];
    for (const id of this.startOrder) {
      const p = this.plugins.get(id)!;
      if (p.kind === kind && p.machine.state === 'active' && p.instance !== undefined) out.push({ id, instance: p.instance as PluginInstanceByKind[K], plugin: p });
    }
    return out;
  }

  status(): PluginStatus[] {
    return [...this.plugins.values()].map((p) => ({
      id: p.id,
      kind: p.kind,
      state: p.machine.state,
      timings: { ...p.timings },
      calls: p.guarded.calls,
      failures: p.guarded.failures,
      timeouts: p.guarded.timeouts,
      droppedEvents: p.droppedEvents,
      ...(p.failure === undefined ? {} : { failure: p.failure.message }),
    }));
  }

  /** Load, init and start times per plugin, in milliseconds. */
  timings(): Record<string, PluginTimings> {
    return Object.fromEntries([...this.plugins.values()].map((p) => [p.id, { ...p.timings }]));
  }

  private create(spec: PluginSpec, id: string): ManagedPlugin {
    const kind = spec.plugin.manifest?.kind ?? spec.plugin.kind ?? spec.plugin.definition?.kind;
    if (kind === undefined) throw new LoadFailedError(`plugin "${id}" has no kind`, { pluginId: id, hint: 'fix its manifest' });
    const p: ManagedPlugin = {
      id,
      kind,
      spec,
      machine: new PluginStateMachine(
        id,
        (t) => {
          this.transitions++;
          this.bus.publish('lifecycle', t);
        },
        this.historyLimit,
      ),
      guarded: new GuardedPlugin(id, kind, spec.hookLimits),
      timings: { loadMs: 0, initMs: 0, startMs: 0 },
      definition: undefined,
      config: undefined,
      instance: undefined,
      abort: undefined,
      generation: 0,
      owner: id,
      source: spec.plugin,
      failure: undefined,
      droppedEvents: 0,
    };
    this.plugins.set(id, p);
    return p;
  }

  private async importCode(p: ManagedPlugin): Promise<Error | undefined> {
    p.machine.transition('loading', p.generation === 0 ? 'load' : 'reload');
    const t0 = performance.now();
    try {
      p.definition = await loadDefinition(p.source, p.id, p.generation);
      p.timings.loadMs = performance.now() - t0;
      p.machine.transition('loaded', 'entry imported');
      return undefined;
    } catch (error) {
      const e = asError(error);
      this.markFailed(p, e);
      return e;
    }
  }

  private async initAndStart(p: ManagedPlugin, restoredState: unknown): Promise<Error | undefined> {
    p.machine.transition('initialising', 'init');
    p.owner = p.generation === 0 ? p.id : `${p.id}@${p.generation}`;
    p.abort = new AbortController();
    const context = createPluginContext(p, this.contextDeps(), restoredState, { config: p.config, owner: p.owner, abort: p.abort });
    const t0 = performance.now();
    const instance = await this.guard.call(this.guard.site(p.guarded, 'init', p.definition!), context);
    p.timings.initMs = performance.now() - t0;
    if (instance === HOOK_FAILED) return this.failStartup(p);
    p.instance = instance as PluginInstanceByKind[PluginKind];
    const t1 = performance.now();
    const started = await this.callLifecycle(p, 'start');
    p.timings.startMs = performance.now() - t1;
    if (started === HOOK_FAILED) return this.failStartup(p);
    p.machine.transition('active', 'started');
    p.failure = undefined;
    return undefined;
  }

  private contextDeps() {
    return { bus: this.bus, guard: this.guard, clock: this.clock, log: this.log, eventRate: this.eventRate, brokerReports: () => this.reports, ...(this.indicators === undefined ? {} : { indicators: this.indicators }) };
  }

  /**
   * Takes brokers' asynchronous reports (fills, order states, the connection) instead of the bus: a live session books
   * reported fills itself, in turn with its bars. Returns the function that gives them back to the bus.
   */
  receiveBrokerReports(reports: BrokerReports): () => void {
    this.reports = reports;
    return () => {
      if (this.reports === reports) this.reports = undefined;
    };
  }

  private failStartup(p: ManagedPlugin): Error {
    const error = p.guarded.lastError ?? new Error(`plugin "${p.id}" failed to start`);
    this.markFailed(p, error);
    return error;
  }

  private async callLifecycle(p: ManagedPlugin, hook: 'start' | 'stop' | 'dispose' | 'snapshot'): Promise<unknown> {
    if (p.instance === undefined) return undefined;
    return this.guard.call(this.guard.site(p.guarded, hook, p.instance), undefined);
  }

  private markFailed(p: ManagedPlugin, error: Error): void {
    p.failure = error;
    if (p.machine.can('error')) p.machine.transition('error', error.message);
    p.abort?.abort(error);
    this.bus.removeOwner(p.owner);
  }

  private trip(id: string, lastError: string): void {
    const p = this.plugins.get(id);
    if (p === undefined || !p.machine.can('disabled')) return;
    const wasActive = p.machine.state === 'active';
    p.machine.transition('disabled', `circuit breaker: ${p.guarded.consecutiveFailures} consecutive failures, last: ${lastError}`);
    if (wasActive && p.instance?.stop !== undefined) void this.callLifecycle(p, 'stop');
  }

  private require(id: string): ManagedPlugin {
    const p = this.plugins.get(id);
    if (p === undefined) {
      throw new LoadFailedError(`no plugin instance "${id}"`, { pluginId: id, hint: `known instances: ${[...this.plugins.keys()].join(', ') || 'none'}` });
    }
    return p;
  }
}
