import type { LoadablePlugin, PluginManager, ReloadResult } from '@trading-orchestrator/core-manager';
import type { PluginCatalog } from '@trading-orchestrator/registry';
import type { ReloadOutcome } from './control-server.js';
import { HALT_RULE_ID } from './halt-switch.js';
import { HttpError } from './http-error.js';

/** Kinds a running session can swap: the ones the engine and the notification hub look up again after a reload. */
const RELOADABLE = new Set(['strategy', 'risk', 'notifier']);

/**
 * `ctl reload <id>`: finds the newest compatible version of the plugin installed now (discovery runs again, past
 * its cache, so a package installed since the session started is seen) and has the manager swap it in. Each
 * reload keeps the previous version's code in memory (ESM never unloads a module): `maxReloads` a plugin bounds it.
 */
export class PluginReloader {
  private readonly counts = new Map<string, number>();

  constructor(
    private readonly manager: PluginManager,
    private readonly rediscover: () => Promise<PluginCatalog>,
    /** Swaps the plugin in, in turn with the session's bars. */
    private readonly swap: (id: string, plugin: LoadablePlugin) => Promise<ReloadResult>,
    private readonly maxReloads: number,
  ) {}

  async reload(id: string): Promise<ReloadOutcome> {
    const managed = this.manager.get(id);
    if (managed === undefined) throw new HttpError(404, `no plugin "${id}" in this session (GET /api/plugins lists them)`);
    if (id === HALT_RULE_ID || !RELOADABLE.has(managed.kind)) {
      throw new HttpError(409, `"${id}" is the session's ${id === HALT_RULE_ID ? 'halt rule' : `${managed.kind} plugin`}; only strategies, risk plugins and notifiers are swapped while a session runs (stop the session, upgrade, and start it again: it resumes from its checkpoint)`);
    }
    const done = this.counts.get(id) ?? 0;
    if (done >= this.maxReloads) {
      throw new HttpError(409, `"${id}" was reloaded ${done} times in this session, the most control.maxReloads allows: each reload keeps the old code in memory; restart the session (it resumes from its checkpoint) to reload again`);
    }
    const catalog = await this.rediscover();
    const packageId = managed.source.manifest?.id ?? managed.source.id;
    const entry = catalog.loadable(packageId);
    if (entry === undefined) {
      const found = catalog.byId(packageId);
      const why = found.length === 0 ? 'it is no longer installed' : found.map((e) => `${e.version}: ${e.reason ?? e.status}`).join('; ');
      throw new HttpError(409, `no compatible version of "${packageId}" is installed now (${why}); ${managed.source.version} keeps running`);
    }
    const result = await this.swap(id, entry);
    if (!result.ok) throw new HttpError(409, `${packageId} ${result.to} could not take over: ${result.error.message}; ${result.from} keeps running`);
    this.counts.set(id, done + 1);
    return { id, from: result.from, to: result.to, state: managed.machine.state };
  }
}
