import { HOOK_FAILED, type PluginManager } from '@trading-orchestrator/core-manager';
import type { DataProvider, InstrumentSpec } from '@trading-orchestrator/plugin-api';

/**
 * What the data plugin says of how the run's symbols trade (lot and tick sizes, minimum orders), when it can say.
 * A call that fails or answers nonsense is the plugin's failure, counted and published as any hook's; the run then
 * goes on with the config's instruments and the defaults.
 */
export async function instrumentsOf(manager: PluginManager, instanceId: string, source: DataProvider, symbols: readonly string[]): Promise<InstrumentSpec[]> {
  if (source.instruments === undefined) return [];
  const plugin = manager.get(instanceId)!;
  const answer = await manager.guard.call<readonly InstrumentSpec[]>(manager.guard.site(plugin.guarded, 'instruments', source), symbols);
  return answer === HOOK_FAILED ? [] : answer.filter((spec) => symbols.includes(spec.symbol));
}
