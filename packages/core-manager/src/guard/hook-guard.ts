import { HookFailedError, HookTimedOutError, isPluginError, type PluginError, type PluginKind } from '@trading-orchestrator/plugin-api';
import type { EventBus } from '../events/event-bus.js';
import { isThenable } from '../util/thenable.js';
import { RETURN_VALIDATORS, type ReturnValidator } from './return-validators.js';

/** Returned instead of a value when a guarded call failed; the failure is already counted and published. */
export const HOOK_FAILED: unique symbol = Symbol('trading-orchestrator.hook-failed');
export type HookFailed = typeof HOOK_FAILED;

export interface HookLimits {
  /** After this long a pending hook is reported as slow (`hook-slow`). */
  readonly softMs: number;
  /** After this long a pending hook has failed (`HOOK_TIMED_OUT`). */
  readonly hardMs: number;
}

export interface GuardOptions {
  readonly bus: EventBus;
  /** Consecutive failures after which a plugin is tripped (disabled). Default 5. */
  readonly maxConsecutiveFailures?: number;
  /** Default 1 s soft, 5 s hard. */
  readonly defaultLimits?: HookLimits;
  /**
   * For `init`, `start`, `stop` and `dispose`, which may load a client library, connect to a venue and load its
   * markets. Default 5 s soft, 30 s hard.
   */
  readonly lifecycleLimits?: HookLimits;
  /** Called once when a plugin reaches the failure limit. */
  readonly onTrip?: (plugin: GuardedPlugin, lastError: PluginError) => void;
}

/**
 * How many plugins, across every guard in the process, are in a failure streak. While none is, a call that
 * succeeds has no streak to end and need not look at its plugin: on the engine's bar, that is a memory line
 * fewer per hook. (A plugin dropped in mid-streak keeps the count up, which only brings back the per-plugin look.)
 */
let pluginsInStreak = 0;

/** A plugin's failure counters, shared by all its hook sites. */
export class GuardedPlugin {
  failures = 0;
  private streak = 0;
  timeouts = 0;
  slowCalls = 0;
  tripped = false;
  lastError: PluginError | undefined;

  constructor(
    readonly id: string,
    /** Which return checks apply to its hooks. */
    readonly kind: PluginKind,
    readonly limits: Readonly<Record<string, HookLimits>> = {},
  ) {}

  /** One site per hook: bounded by the plugin's hooks however often a site is asked for. */
  private readonly sites = new Map<string, HookSite>();
  /** Calls made through sites that a reload replaced. */
  private retiredCalls = 0;

  get calls(): number {
    let total = this.retiredCalls;
    for (const site of this.sites.values()) total += site.calls;
    return total;
  }

  /** The site of a hook on this receiver, when one was made already. */
  siteFor(hook: string, self: object): HookSite | undefined {
    const site = this.sites.get(hook);
    return site?.self === self ? site : undefined;
  }

  /** Keeps `site` as the hook's site; one for an earlier receiver (before a reload) is retired. */
  adopt(site: HookSite): void {
    this.retiredCalls += this.sites.get(site.hook)?.calls ?? 0;
    this.sites.set(site.hook, site);
  }

  /** Failures since its last successful call. */
  get consecutiveFailures(): number {
    return this.streak;
  }

  set consecutiveFailures(value: number) {
    if ((this.streak === 0) !== (value === 0)) pluginsInStreak += value === 0 ? -1 : 1;
    this.streak = value;
  }

  /** Counts a failure in the streak (the guard's `fail` does, with the totals). */
  failed(): void {
    if (this.streak++ === 0) pluginsInStreak++;
  }

  /** Ends a failure streak, if one is under way. */
  succeeded(): void {
    if (this.streak === 0) return;
    this.streak = 0;
    pluginsInStreak--;
  }

  /** Clears the breaker, e.g. when a user re-enables the plugin. */
  reset(): void {
    this.succeeded();
    this.tripped = false;
  }
}

/**
 * One hook of one plugin instance, resolved once so the per-call path does no lookups: the function, its
 * receiver, the return check and the time limits.
 */
export class HookSite {
  readonly fn: ((a?: unknown, b?: unknown) => unknown) | undefined;
  /** Whether `undefined` passes this hook's return check, decided once so the fast path skips the validator. */
  readonly undefinedIsValid: boolean;
  /** Calls made through this site (the plugin's total is the sum over its sites). */
  calls = 0;

  constructor(
    readonly plugin: GuardedPlugin,
    readonly hook: string,
    readonly self: object,
    readonly validate: ReturnValidator | undefined,
    readonly limits: HookLimits,
  ) {
    const fn = (self as Record<string, unknown>)[hook];
    this.fn = typeof fn === 'function' ? (fn as (a?: unknown, b?: unknown) => unknown) : undefined;
    this.undefinedIsValid = validate === undefined || validate(undefined) === undefined;
  }

  /** Whether the plugin implements this hook. */
  get present(): boolean {
    return this.fn !== undefined;
  }
}

export interface UnsettledCall {
  readonly pluginId: string;
  readonly hook: string;
  /** Epoch ms when the call was made. */
  readonly since: number;
}

/** Hooks that set a plugin up or take it down, rather than answer the run as it goes. */
const LIFECYCLE_HOOKS: ReadonlySet<string> = new Set(['init', 'start', 'stop', 'dispose']);

/**
 * Every call into a plugin goes through `call`. A throw, a rejection, a return value that breaks the contract or
 * a time-out becomes `HOOK_FAILED`, counted on the plugin and published on `hook-failure`; after N consecutive
 * failures the plugin is tripped. A synchronous hook returning a plain value costs a try/catch and a type check:
 * no promise, no closure.
 */
export class HookGuard {
  private readonly bus: EventBus;
  private readonly maxConsecutiveFailures: number;
  private readonly defaultLimits: HookLimits;
  private readonly lifecycleLimits: HookLimits;
  private readonly onTrip: ((plugin: GuardedPlugin, lastError: PluginError) => void) | undefined;
  private readonly unsettledCalls = new Set<UnsettledCall>();

  constructor(options: GuardOptions) {
    this.bus = options.bus;
    this.maxConsecutiveFailures = options.maxConsecutiveFailures ?? 5;
    this.defaultLimits = options.defaultLimits ?? { softMs: 1_000, hardMs: 5_000 };
    this.lifecycleLimits = options.lifecycleLimits ?? { softMs: 5_000, hardMs: 30_000 };
    this.onTrip = options.onTrip;
  }

  /** The plugin's site for a hook on this receiver; asking again returns the same site, so callers need not cache it. */
  site(plugin: GuardedPlugin, hook: string, self: object): HookSite {
    const existing = plugin.siteFor(hook, self);
    if (existing !== undefined) return existing;
    const limits = plugin.limits[hook] ?? (LIFECYCLE_HOOKS.has(hook) ? this.lifecycleLimits : this.defaultLimits);
    const site = new HookSite(plugin, hook, self, RETURN_VALIDATORS[plugin.kind][hook], limits);
    plugin.adopt(site);
    return site;
  }

  /**
   * Calls the hook with up to two arguments. Returns its value, HOOK_FAILED, or (only when the hook returned a
   * promise) a promise of either. Calling a hook the plugin lacks returns undefined.
   */
  call<R = unknown>(site: HookSite, a?: unknown, b?: unknown): R | HookFailed | Promise<R | HookFailed> {
    const fn = site.fn;
    if (fn === undefined) return undefined as R;
    let result: unknown;
    try {
      result = fn.call(site.self, a, b);
    } catch (error) {
      return this.threw(site, error);
    }
    // The common case for bar hooks: nothing to say. Everything else is handled out of line.
    if (result === undefined && site.undefinedIsValid) {
      this.returnedNothing(site);
      return undefined as R;
    }
    return this.returned<R>(site, result);
  }

  // A host with a hot path of its own (the engine's bar, the risk gate) may call the hook itself, inside its own
  // try/catch, and book the outcome with the three methods below: the same accounting as `call`. Each of the host's
  // call sites then keeps its own call feedback, so V8 can inline the hook there; through `call`'s one site, which
  // sees every plugin, it never does. Where one host site serves several plugins, calling the hook as a method of
  // `site.self` (`self.checkOrder(...)`) keeps it direct: V8 tells the instances apart by their shapes, while
  // `site.fn.call(...)` with a function that changes from call to call is a generic call.

  /** Books a call that returned undefined, where `site.undefinedIsValid`: counts it and ends a failure streak. */
  returnedNothing(site: HookSite): void {
    site.calls++;
    if (pluginsInStreak !== 0) site.plugin.succeeded();
  }

  /** Books a call that returned a value: as `call` would return it (checked, HOOK_FAILED, or a promise of either). */
  returned<R = unknown>(site: HookSite, value: unknown): R | HookFailed | Promise<R | HookFailed> {
    site.calls++;
    return this.inspect<R>(site, value);
  }

  /** Books a call that threw: counted and published as the plugin's failure. */
  threw(site: HookSite, error: unknown): HookFailed {
    site.calls++;
    this.fail(site, error);
    return HOOK_FAILED;
  }

  /** Calls still pending: hooks whose promise never settled, including those past their hard limit. */
  unsettled(): UnsettledCall[] {
    return [...this.unsettledCalls];
  }

  /** Counts a failure that happened outside a guarded call (e.g. in a plugin's event handler). */
  recordFailure(plugin: GuardedPlugin, hook: string, error: unknown): void {
    this.fail({ plugin, hook }, error);
  }

  private inspect<R>(site: HookSite, result: unknown): R | HookFailed | Promise<R | HookFailed> {
    return isThenable(result) ? this.settle<R>(site, result) : this.accept<R>(site, result);
  }

  private accept<R>(site: HookSite, value: unknown): R | HookFailed {
    const validate = site.validate;
    if (validate !== undefined) {
      const problem = validate(value);
      if (problem !== undefined) {
        this.fail(
          site,
          new HookFailedError(`hook "${site.hook}" of plugin "${site.plugin.id}" returned an invalid value: ${problem}`, {
            hook: site.hook,
            pluginId: site.plugin.id,
            path: `${site.plugin.id}.${site.hook}`,
          }),
        );
        return HOOK_FAILED;
      }
    }
    if (pluginsInStreak !== 0) site.plugin.succeeded();
    return value as R;
  }

  private settle<R>(site: HookSite, pending: PromiseLike<unknown>): Promise<R | HookFailed> {
    const call: UnsettledCall = { pluginId: site.plugin.id, hook: site.hook, since: Date.now() };
    this.unsettledCalls.add(call);
    const { softMs, hardMs } = site.limits;
    return new Promise<R | HookFailed>((resolve) => {
      let decided = false;
      const soft = setTimeout(() => {
        site.plugin.slowCalls++;
        this.bus.publish('hook-slow', { pluginId: site.plugin.id, hook: site.hook, softLimitMs: softMs });
      }, softMs);
      const hard = setTimeout(() => {
        decided = true;
        clearTimeout(soft);
        site.plugin.timeouts++;
        this.fail(
          site,
          new HookTimedOutError(`hook "${site.hook}" of plugin "${site.plugin.id}" did not settle within ${hardMs} ms`, {
            hook: site.hook,
            timeoutMs: hardMs,
            pluginId: site.plugin.id,
            path: `${site.plugin.id}.${site.hook}`,
          }),
        );
        resolve(HOOK_FAILED);
      }, hardMs);
      const finish = (): boolean => {
        this.unsettledCalls.delete(call);
        if (decided) return false;
        decided = true;
        clearTimeout(soft);
        clearTimeout(hard);
        return true;
      };
      pending.then(
        (value) => {
          if (finish()) resolve(this.accept<R>(site, value));
        },
        (error: unknown) => {
          if (!finish()) return;
          this.fail(site, error);
          resolve(HOOK_FAILED);
        },
      );
    });
  }

  private fail(site: Pick<HookSite, 'plugin' | 'hook'>, error: unknown): void {
    const { plugin, hook } = site;
    const tagged = isPluginError(error)
      ? error
      : new HookFailedError(`hook "${hook}" of plugin "${plugin.id}" failed: ${error instanceof Error ? error.message : String(error)}`, {
          hook,
          pluginId: plugin.id,
          path: `${plugin.id}.${hook}`,
          cause: error,
        });
    plugin.failures++;
    plugin.failed();
    plugin.lastError = tagged;
    this.bus.publish('hook-failure', {
      pluginId: plugin.id,
      hook,
      error: tagged,
      consecutiveFailures: plugin.consecutiveFailures,
      totalFailures: plugin.failures,
    });
    if (!plugin.tripped && plugin.consecutiveFailures >= this.maxConsecutiveFailures) {
      plugin.tripped = true;
      this.onTrip?.(plugin, tagged);
    }
  }
}
