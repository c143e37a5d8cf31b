import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { configJsonSchema, isPluginDefinition, nearestNames, type JsonSchema, type ParamSpec, type PluginDefinition } from '@trading-orchestrator/plugin-api';
import { BUILT_IN_BROKER } from '../config/plugin-references.js';
import { BUILT_IN_BROKER_ID } from '../config/run-config.js';
import type { PluginCatalog } from '@trading-orchestrator/registry';
import { formatTable } from '../format/table.js';

interface SchemaRow {
  readonly field: string;
  readonly type: string;
  readonly default: string;
  readonly rules: string;
}

function typeOf(s: JsonSchema): string {
  if (Array.isArray(s.enum)) return (s.enum as unknown[]).map((v) => JSON.stringify(v)).join(' | ');
  if (s.const !== undefined) return JSON.stringify(s.const);
  const variants = (s.anyOf ?? s.oneOf) as JsonSchema[] | undefined;
  if (variants !== undefined) return variants.map(typeOf).join(' | ');
  if (s.type === 'array') return `${typeOf((s.items as JsonSchema | undefined) ?? {})}[]`;
  return typeof s.type === 'string' ? s.type : 'any';
}

function rulesOf(s: JsonSchema): string {
  const rules: string[] = [];
  for (const [key, label] of [['minimum', '>='], ['exclusiveMinimum', '>'], ['maximum', '<='], ['exclusiveMaximum', '<'], ['minLength', 'min length'], ['minItems', 'min items']] as const) {
    // zod's integers carry ±MAX_SAFE_INTEGER bounds, which tell a reader nothing.
    if (typeof s[key] === 'number' && Math.abs(s[key]) < Number.MAX_SAFE_INTEGER) rules.push(`${label} ${String(s[key])}`);
  }
  return rules.join(', ');
}

/** Flattens an object schema into one row per field, nested objects as dotted paths. */
export function schemaRows(schema: JsonSchema, prefix = ''): SchemaRow[] {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  return Object.entries(properties).flatMap(([name, s]) => {
    const field = `${prefix}${name}${required.has(name) && s.default === undefined ? '' : '?'}`;
    const items = s.type === 'array' ? (s.items as JsonSchema | undefined) : undefined;
    const nested = s.type === 'object' && s.properties !== undefined ? s : items?.type === 'object' && items.properties !== undefined ? items : undefined;
    const type = nested === undefined ? typeOf(s) : nested === s ? 'object' : 'object[]';
    const row: SchemaRow = { field, type, default: s.default === undefined ? '' : JSON.stringify(s.default), rules: rulesOf(s) };
    // What each element of a list of objects takes (data-file's files[]) is listed under `name[].`.
    return nested === undefined ? [row] : [row, ...schemaRows(nested, `${prefix}${name}${nested === s ? '' : '[]'}.`)];
  });
}

/** `plugins info <id>`: the catalog entry, and the config schema with defaults (this imports the plugin's code). */
export async function pluginInfo(catalog: PluginCatalog, id: string): Promise<{ ok: boolean; text: string; json?: unknown }> {
  const entries = catalog.byId(id);
  if (entries.length === 0 && id === BUILT_IN_BROKER_ID) return describe(BUILT_IN_BROKER.definition!, [`${BUILT_IN_BROKER_ID} (broker): the paper broker built into the runner (@trading-orchestrator/engine); used when a run names no broker`, 'package  @trading-orchestrator/engine', 'status   built in'], { entry: { id: BUILT_IN_BROKER_ID, kind: 'broker', builtIn: true } });
  if (entries.length === 0) {
    const near = nearestNames(id, catalog.ids());
    return { ok: false, text: `no plugin "${id}" is installed${near.length > 0 ? ` (did you mean ${near.join(', ')}?)` : ''}; installed: ${catalog.ids().join(', ') || 'none'}` };
  }
  const entry = entries[0]!;
  const lines = [
    `${entry.id} (${entry.kind ?? '?'}): ${entry.manifest?.displayName ?? entry.packageName}`,
    entry.manifest?.description ?? '',
    `package  ${entry.packageName}@${entry.version}`,
    `folder   ${entry.packageDir}`,
    `status   ${entry.status}${entry.reason === undefined ? '' : `: ${entry.reason}`}`,
    `api      ${entry.manifest?.api ?? '?'}`,
  ].filter((l) => l !== '');
  if (entry.status !== 'compatible' || entry.manifest === undefined) return { ok: false, text: [...lines, `fix: ${entry.fix ?? ''}`].join('\n') };
  const module = (await import(pathToFileURL(join(entry.packageDir, entry.manifest.entry)).href)) as Record<string, unknown>;
  const definition = module.default ?? module.plugin;
  if (!isPluginDefinition(definition)) return { ok: false, text: [...lines, `its entry ${entry.manifest.entry} exports no plugin definition`].join('\n') };
  return describe(definition, lines, { entry });
}

/** The lines about a plugin followed by its config schema as a table of fields. */
function describe(definition: PluginDefinition, lines: readonly string[], json: Record<string, unknown>): { ok: boolean; text: string; json?: unknown } {
  const schema = configJsonSchema(definition.configSchema);
  if (schema === undefined) return { ok: true, text: [...lines, '', 'config: its validator does not describe itself as JSON Schema; see the plugin README'].join('\n') };
  const rows = schemaRows(schema);
  const text = [...lines, '', 'config (field? = optional; name[].field = what each element of a list takes):', formatTable(['FIELD', 'TYPE', 'DEFAULT', 'RULES'], rows.map((r) => [r.field, r.type, r.default, r.rules]))];
  const space = definition.searchSpace;
  if (space !== undefined) {
    const range = (p: ParamSpec) => (p.type === 'choice' ? p.values.map((v) => JSON.stringify(v)).join(' | ') : `${p.min} to ${p.max}${p.step === undefined ? '' : ` by ${p.step}`}${p.log === true ? ', log scale' : ''}`);
    const searched = Object.entries(space.params).flatMap(([name, p]) => (p === undefined ? [] : [[name, p.type, range(p)]]));
    text.push('', `search space (what \`trading-orchestrator optimize\` varies${space.conditions === undefined || space.conditions.length === 0 ? '' : `; conditions: ${space.conditions.join(', ')}`}):`, formatTable(['SETTING', 'TYPE', 'RANGE'], searched));
  }
  return { ok: true, text: text.join('\n'), json: { ...json, configSchema: schema, ...(space === undefined ? {} : { searchSpace: space }) } };
}
