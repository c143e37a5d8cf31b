import { loadDefinition, type LoadablePlugin } from '@trading-orchestrator/core-manager';
import { paperBroker } from '@trading-orchestrator/engine';
import { nearestNames, validateConfig, type PluginKind, type Problem } from '@trading-orchestrator/plugin-api';
import type { PluginCatalog } from '@trading-orchestrator/registry';
import { dataPath } from './data-sources.js';
import { BUILT_IN_BROKER_ID } from './run-config.js';

/** One place in a run file that names a plugin: `strategies[1]`, its id, the kind it must be, and its `config`. */
export interface PluginReference {
  readonly path: string;
  readonly id: string;
  readonly kind: PluginKind;
  readonly config: unknown;
}

export const BUILT_IN_BROKER: LoadablePlugin = { id: BUILT_IN_BROKER_ID, kind: 'broker', version: 'built-in', packageName: '@trading-orchestrator/engine', packageDir: '.', manifest: undefined, definition: paperBroker };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The plugins a run file names, read from the document as written: a file with other mistakes still has its
 * plugins' configs checked, so every problem is reported in one round.
 */
export function pluginReferences(document: unknown): PluginReference[] {
  if (!isObject(document)) return [];
  const refs: PluginReference[] = [];
  const add = (path: string, entry: unknown, kind: PluginKind, fallback?: string) => {
    if (!isObject(entry) && fallback === undefined) return;
    const id = isObject(entry) ? entry['plugin'] : undefined;
    const plugin = typeof id === 'string' ? id : id === undefined ? fallback : undefined;
    if (plugin === undefined || (isObject(entry) && entry['enabled'] === false)) return;
    refs.push({ path, id: plugin, kind, config: isObject(entry) ? (entry['config'] ?? {}) : {} });
  };
  const data = document['data'];
  if (Array.isArray(data)) data.forEach((entry, i) => add(dataPath(data.length, i), entry, 'data'));
  else add('data', data, 'data');
  for (const [list, kind] of [['strategies', 'strategy'], ['indicators', 'indicator'], ['risk', 'risk'], ['notifiers', 'notifier']] as const) {
    const entries = document[list];
    if (Array.isArray(entries)) entries.forEach((entry, i) => add(`${list}[${i}]`, entry, kind));
  }
  add('broker', document['broker'] ?? {}, 'broker', BUILT_IN_BROKER_ID);
  return refs;
}

/** Finds each referenced plugin in the catalog; every unknown, unusable or wrong-kind reference is a problem. */
export function resolvePlugins(refs: readonly PluginReference[], catalog: PluginCatalog): { problems: Problem[]; found: Map<string, LoadablePlugin> } {
  const problems: Problem[] = [];
  const found = new Map<string, LoadablePlugin>();
  for (const { path, id, kind } of refs) {
    if (kind === 'broker' && id === BUILT_IN_BROKER_ID) {
      found.set(path, BUILT_IN_BROKER);
      continue;
    }
    const entry = catalog.loadable(id);
    if (entry !== undefined && entry.kind === kind) {
      found.set(path, entry);
      continue;
    }
    const claimed = catalog.byId(id);
    let message: string;
    if (entry !== undefined) message = `"${id}" is a ${entry.kind} plugin, not a ${kind} plugin`;
    else if (claimed.length > 0) message = `plugin "${id}" is installed but ${claimed[0]!.status}: ${claimed[0]!.reason ?? ''}${claimed[0]!.fix === undefined ? '' : `; fix: ${claimed[0]!.fix}`}`;
    else {
      const ofKind = catalog.byKind(kind).filter((e) => e.status === 'compatible').map((e) => e.id);
      if (kind === 'broker') ofKind.unshift(BUILT_IN_BROKER_ID);
      const near = nearestNames(id, [...catalog.ids(), ...(kind === 'broker' ? [BUILT_IN_BROKER_ID] : [])]);
      message = `no installed plugin "${id}"${near.length > 0 ? ` (did you mean ${near.join(', ')}?)` : ''}; installed ${kind} plugins: ${ofKind.join(', ') || 'none'}`;
    }
    problems.push({ path: `${path}.plugin`, message, severity: 'error' });
  }
  return { problems, found };
}

/** Each found plugin's config checked against its schema (this imports the plugin's code, not its hooks). */
export async function pluginConfigProblems(refs: readonly PluginReference[], found: ReadonlyMap<string, LoadablePlugin>): Promise<Problem[]> {
  const problems: Problem[] = [];
  for (const ref of refs) {
    const plugin = found.get(ref.path);
    if (plugin === undefined) continue;
    let definition;
    try {
      definition = await loadDefinition(plugin, ref.id, 0);
    } catch (error) {
      problems.push({ path: `${ref.path}.plugin`, message: (error as Error).message, severity: 'error' });
      continue;
    }
    const result = await validateConfig(definition.configSchema, ref.config, { pathPrefix: `${ref.path}.config` });
    if (!result.ok) problems.push(...result.problems);
  }
  return problems;
}
