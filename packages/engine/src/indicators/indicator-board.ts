import { HOOK_FAILED, type HookSite, type ManagedPlugin, type PluginManager } from '@trading-orchestrator/core-manager';
import { nearestNames, type Bar, type Indicator, type IndicatorReader } from '@trading-orchestrator/plugin-api';

/** One of the run's indicator plugins as the board keeps it: its hook, its outputs and their latest values. */
interface Member {
  readonly id: string;
  readonly plugin: ManagedPlugin;
  readonly indicator: Indicator;
  readonly update: HookSite;
  readonly outputs: readonly string[];
  /** Latest outputs per symbol. */
  readonly latest: Map<string, Float64Array>;
}

/**
 * The run's indicator plugins and their latest outputs per symbol. The engine feeds it each bar of the run's
 * timeframe before the strategies see the bar (warm-up bars included); strategies and risk plugins read it through
 * their context's `indicators`. It is made before the plugins start (their contexts hold it) and bound to the
 * started indicators when the engine is built.
 */
export class IndicatorBoard implements IndicatorReader {
  private members: Member[] = [];
  private readonly byId = new Map<string, Member>();

  get ids(): readonly string[] {
    return this.members.map((m) => m.id);
  }

  /** The run's indicator instances, by instance id, in the order given. */
  bind(manager: PluginManager, ids: readonly string[]): void {
    this.members = ids.map((id) => {
      const plugin = manager.get(id);
      if (plugin?.instance === undefined || plugin.kind !== 'indicator') throw new RangeError(`no started indicator plugin "${id}" in this run`);
      const indicator = plugin.instance as Indicator;
      return { id, plugin, indicator, update: manager.guard.site(plugin.guarded, 'update', indicator), outputs: [...indicator.outputs], latest: new Map() };
    });
    this.byId.clear();
    for (const m of this.members) this.byId.set(m.id, m);
  }

  /** Feeds a bar to every indicator. A failing indicator leaves NaN for the symbol; the guard counts it. */
  update(bar: Bar, guard: PluginManager['guard']): void {
    for (let i = 0; i < this.members.length; i++) {
      const m = this.members[i]!;
      let out = m.latest.get(bar.symbol);
      if (out === undefined) m.latest.set(bar.symbol, (out = new Float64Array(m.outputs.length).fill(Number.NaN)));
      // A disabled indicator (by its failures, or by a person) is not called: its values are unknown.
      if (m.plugin.machine.state !== 'active') {
        out.fill(Number.NaN);
        continue;
      }
      const site = m.update;
      try {
        const booked = guard.returned(site, site.fn!.call(site.self, bar, out));
        // `update` writes its outputs and answers at once; a promise or a wrong answer leaves them unknown.
        if (booked === HOOK_FAILED || booked instanceof Promise) out.fill(Number.NaN);
      } catch (error) {
        out.fill(Number.NaN);
        guard.threw(site, error);
      }
    }
  }

  value(id: string, symbol: string, output?: string): number {
    const m = this.byId.get(id);
    if (m === undefined) {
      const near = nearestNames(id, this.ids);
      throw new RangeError(`the run has no indicator "${id}"${near.length > 0 ? ` (did you mean ${near.join(', ')}?)` : ''}; its indicators: ${this.ids.join(', ') || 'none (add them under indicators: in the run file)'}`);
    }
    const index = output === undefined ? 0 : m.outputs.indexOf(output);
    if (index < 0) throw new RangeError(`indicator "${id}" has no output "${output}"; its outputs: ${m.outputs.join(', ')}`);
    return m.latest.get(symbol)?.[index] ?? Number.NaN;
  }
}
