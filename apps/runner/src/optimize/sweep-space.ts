import { loadDefinition } from '@trading-orchestrator/core-manager';
import { ConfigInvalidError, configJsonSchema, parseCondition, type ParamSpec, type ParamValues, type Problem, type SearchSpace } from '@trading-orchestrator/plugin-api';
import type { PluginCatalog } from '@trading-orchestrator/registry';
import { ResolvedSpace } from '@trading-orchestrator/research';
import { pluginReferences, resolvePlugins } from '../config/plugin-references.js';
import type { RunConfig } from '../config/run-config.js';
import type { OptimizeSection } from './optimize-config.js';

/** A plugin entry of the run file whose config a sweep may change: its path and its instance id. */
export interface Tunable {
  readonly path: string;
  readonly instanceId: string;
  readonly list: 'strategies' | 'indicators' | 'risk';
  readonly index: number;
}

function tunables(config: RunConfig): Tunable[] {
  return [
    ...config.strategies.flatMap((s, i) => (s.enabled ? [{ path: `strategies[${i}]`, instanceId: s.id ?? s.plugin, list: 'strategies' as const, index: i }] : [])),
    ...config.indicators.map((x, i) => ({ path: `indicators[${i}]`, instanceId: x.id ?? x.plugin, list: 'indicators' as const, index: i })),
    ...config.risk.map((r, i) => ({ path: `risk[${i}]`, instanceId: r.id ?? r.plugin, list: 'risk' as const, index: i })),
  ];
}

/** For each searched name (`ma-crossover.fast`), the plugin entry and the config key it sets. */
export type SweepTargets = ReadonlyMap<string, { readonly entry: Tunable; readonly key: string }>;

/** What a sweep searches: the space over qualified names and where each name is set. */
export interface SweepSpace {
  readonly space: ResolvedSpace;
  readonly targets: SweepTargets;
}

/**
 * Builds a sweep's space: every enabled, non-shadow strategy's declared search space under its instance id, then the
 * run file's `optimize.space` and `conditions`. Each problem (an unknown instance or setting, a bad range, a condition
 * naming nothing searched) is reported with its path, all in one error.
 */
export async function sweepSpace(config: RunConfig, optimize: OptimizeSection, catalog: PluginCatalog, file: string): Promise<SweepSpace> {
  const entries = tunables(config);
  const refs = pluginReferences(config);
  const { found } = resolvePlugins(refs, catalog);
  const problems: Problem[] = [];
  const params: Record<string, ParamSpec> = {};
  const conditions: string[] = [];
  const targets = new Map<string, { entry: Tunable; key: string }>();
  const settingsOf = new Map<string, readonly string[] | undefined>();
  for (const entry of entries) {
    const plugin = found.get(entry.path);
    if (plugin === undefined) continue;
    const definition = await loadDefinition(plugin, entry.instanceId, 0);
    const properties = (configJsonSchema(definition.configSchema) as { properties?: Record<string, unknown> } | undefined)?.properties;
    settingsOf.set(entry.instanceId, properties === undefined ? undefined : Object.keys(properties));
    const declared = definition.searchSpace as SearchSpace | undefined;
    if (entry.list !== 'strategies' || declared === undefined || config.strategies[entry.index]!.shadow) continue;
    const checked = ResolvedSpace.check(declared, `${entry.path} (the search space plugin ${plugin.id} declares)`);
    if (!checked.ok) {
      problems.push(...checked.problems);
      continue;
    }
    for (const d of checked.space.dimensions) {
      params[`${entry.instanceId}.${d.name}`] = d.spec;
      targets.set(`${entry.instanceId}.${d.name}`, { entry, key: d.name });
    }
    for (const c of checked.space.conditions) {
      const right = 'param' in c.right ? `${entry.instanceId}.${c.right.param}` : String(c.right.value);
      conditions.push(`${entry.instanceId}.${c.left} ${c.operator} ${right}`);
    }
  }
  for (const [name, spec] of Object.entries(optimize.space)) {
    const path = `optimize.space["${name}"]`;
    const dot = name.indexOf('.');
    const [id, key] = [name.slice(0, dot), name.slice(dot + 1)];
    const entry = entries.find((e) => e.instanceId === id);
    if (entry === undefined) {
      problems.push({ path, message: `no enabled strategy, indicator or risk plugin has the id "${id}" (ids: ${entries.map((e) => e.instanceId).join(', ')})`, severity: 'error' });
      continue;
    }
    const settings = settingsOf.get(id);
    if (settings !== undefined && !settings.includes(key)) {
      problems.push({ path, message: `${id} has no setting "${key}"; its settings: ${settings.join(', ') || 'none'}`, severity: 'error' });
      continue;
    }
    if (spec === false) {
      delete params[name];
      targets.delete(name);
      continue;
    }
    params[name] = spec as ParamSpec;
    targets.set(name, { entry, key });
  }
  // A declared condition about a setting the run file took out of the search no longer applies.
  const kept = conditions.filter((text) => {
    const c = parseCondition(text)!;
    return params[c.left] !== undefined && ('value' in c.right || params[c.right.param] !== undefined);
  });
  const checked = ResolvedSpace.check({ params, conditions: [...kept, ...optimize.conditions] }, 'optimize');
  if (!checked.ok) problems.push(...checked.problems.map((p) => (Object.keys(params).length === 0 && p.path === 'optimize.params' ? { ...p, path: 'optimize.space', message: 'nothing to search: no strategy of the run declares a search space and optimize.space names no setting; add one, e.g. "ma-crossover.fast": { type: int, min: 5, max: 50 }' } : { ...p, path: p.path.replace(/^optimize\.conditions\[(\d+)\]/, (_, i: string) => (Number(i) < kept.length ? 'the declared conditions' : `optimize.conditions[${Number(i) - kept.length}]`)) })));
  if (problems.length > 0 || !checked.ok) {
    throw new ConfigInvalidError(`${file}: the optimisation's search space has ${problems.length} problem${problems.length === 1 ? '' : 's'}`, {
      path: file,
      problems,
      hint: 'name settings as <instance id>.<config key> with a range ({ type: int, min: 5, max: 50 }, { type: float, min: 0.1, max: 2, log: true } or { type: choice, values: [a, b] }); `trading-orchestrator plugins info <id>` lists a plugin\'s settings and declared search space',
    });
  }
  return { space: checked.space, targets };
}

/** The run config with a trial's values written into the plugins' configs. */
export function withValues(config: RunConfig, targets: SweepTargets, values: ParamValues): RunConfig {
  const next = { ...config, strategies: [...config.strategies], indicators: [...config.indicators], risk: [...config.risk] };
  for (const [name, value] of Object.entries(values)) {
    const target = targets.get(name);
    if (target === undefined) continue;
    const list = next[target.entry.list] as { config: Record<string, unknown> }[];
    const entry = list[target.entry.index]!;
    list[target.entry.index] = { ...entry, config: { ...entry.config, [target.key]: value } };
  }
  return next as RunConfig;
}
