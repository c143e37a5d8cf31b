import { nearestNames } from '../errors/nearest-names.js';
import { formatPath, type Problem } from '../errors/problem.js';
import type { JsonSchema } from './config-json-schema.js';

/** What an object schema says about the keys of one object: the declared ones, and whether others are allowed. */
interface Keys {
  readonly open: boolean;
  readonly declared: Map<string, JsonSchema>;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const schemaAt = (value: unknown): JsonSchema | undefined => (isObject(value) ? value : undefined);

/**
 * The keys of `input`, at any depth, that its JSON Schema (the input side of a config schema) does not declare: a
 * misspelt setting is otherwise dropped without a word and its default used, which with a risk limit is money.
 * An object whose schema declares `properties` and no `additionalProperties` (zod's `z.object`) is closed; one
 * with `additionalProperties` (a record, `z.looseObject`), `patternProperties`, or no object shape at all is open.
 * Unions and intersections declare what any of their object members declares; a union member whose constant
 * fields (a discriminator) the input contradicts does not count.
 */
export function unknownKeys(root: JsonSchema, input: unknown): Problem[] {
  const problems: Problem[] = [];
  const resolve = (schema: JsonSchema | undefined, depth = 0): JsonSchema | undefined => {
    const ref = schema?.['$ref'];
    if (typeof ref !== 'string' || depth > 32) return schema;
    const match = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref);
    const target = match === null ? undefined : schemaAt(schemaAt(root[match[1]!])?.[decodeURIComponent(match[2]!)]);
    // An unresolvable reference says nothing about the keys: treated as open.
    return target === undefined ? {} : resolve(target, depth + 1);
  };

  const keysOf = (node: JsonSchema | undefined, value: Record<string, unknown>): Keys => {
    const schema = resolve(node);
    if (schema === undefined) return { open: true, declared: new Map() };
    const parts: JsonSchema[] = [];
    for (const word of ['allOf', 'anyOf', 'oneOf'] as const) {
      const members = schema[word];
      if (!Array.isArray(members)) continue;
      const objects = members.map((m) => resolve(schemaAt(m))).filter((m): m is JsonSchema => m !== undefined && describesObject(m));
      const fitting = word === 'allOf' ? objects : objects.filter((m) => !contradicts(m, value));
      parts.push(...(fitting.length > 0 ? fitting : objects));
    }
    const own = schema['properties'] !== undefined || schema['additionalProperties'] !== undefined || schema['patternProperties'] !== undefined;
    if (parts.length === 0 && !own) return { open: true, declared: new Map() };
    const declared = new Map<string, JsonSchema>();
    let open = false;
    if (own) {
      for (const [key, sub] of Object.entries(schemaAt(schema['properties']) ?? {})) declared.set(key, schemaAt(sub) ?? {});
      open = schema['patternProperties'] !== undefined || (schema['additionalProperties'] !== undefined && schema['additionalProperties'] !== false);
    }
    for (const part of parts) {
      const keys = keysOf(part, value);
      open ||= keys.open;
      for (const [key, sub] of keys.declared) if (!declared.has(key)) declared.set(key, sub);
    }
    return { open, declared };
  };

  /** The schema an array's element at `index` is checked against, through unions of array shapes. */
  const itemOf = (node: JsonSchema | undefined, index: number): JsonSchema | undefined => {
    const schema = resolve(node);
    if (schema === undefined) return undefined;
    const prefix = schema['prefixItems'];
    if (Array.isArray(prefix) && index < prefix.length) return schemaAt(prefix[index]);
    const items = schemaAt(schema['items']);
    if (items !== undefined) return items;
    for (const word of ['anyOf', 'oneOf', 'allOf'] as const) {
      const members = schema[word];
      if (!Array.isArray(members)) continue;
      for (const m of members) {
        const item = itemOf(schemaAt(m), index);
        if (item !== undefined) return item;
      }
    }
    return undefined;
  };

  const walk = (node: JsonSchema | undefined, value: unknown, path: PropertyKey[]): void => {
    if (Array.isArray(value)) {
      value.forEach((v, i) => walk(itemOf(node, i), v, [...path, i]));
      return;
    }
    if (!isObject(value)) return;
    const { open, declared } = keysOf(node, value);
    for (const [key, v] of Object.entries(value)) {
      const sub = declared.get(key);
      if (sub !== undefined) {
        walk(sub, v, [...path, key]);
      } else if (!open) {
        const known = [...declared.keys()];
        const near = nearestNames(key, known, 1);
        const hint = near.length > 0 ? `did you mean "${near[0]}"?` : known.length > 0 ? `the settings here are ${known.join(', ')}` : 'nothing can be set here';
        problems.push({ path: formatPath([...path, key]), message: `unknown setting "${key}" (${hint})`, severity: 'error' });
      } else {
        const values = schemaAt(resolve(node)?.['additionalProperties']);
        if (values !== undefined) walk(values, v, [...path, key]);
      }
    }
  };

  walk(root, input, []);
  return problems;
}

function describesObject(schema: JsonSchema): boolean {
  const type = schema['type'];
  if (type === 'object' || (Array.isArray(type) && type.includes('object'))) return true;
  if (type !== undefined) return false;
  return schema['properties'] !== undefined || schema['allOf'] !== undefined || schema['anyOf'] !== undefined || schema['oneOf'] !== undefined || schema['additionalProperties'] !== undefined;
}

/** Whether `value` sets a field to something other than the constant the schema fixes it to (a discriminator). */
function contradicts(schema: JsonSchema, value: Record<string, unknown>): boolean {
  const properties = schemaAt(schema['properties']);
  if (properties === undefined) return false;
  for (const [key, sub] of Object.entries(properties)) {
    if (!(key in value) || !isObject(sub)) continue;
    if ('const' in sub && sub['const'] !== value[key]) return true;
    const choices = sub['enum'];
    if (Array.isArray(choices) && !choices.includes(value[key])) return true;
  }
  return false;
}
