import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { ConfigInvalidError, formatPath, validateConfig, type Problem } from '@trading-orchestrator/plugin-api';
import type { PluginCatalog } from '@trading-orchestrator/registry';
import { parse as parseYaml, parseDocument } from 'yaml';
import { pluginConfigProblems, pluginReferences, resolvePlugins } from './plugin-references.js';
import { runConfigSchema, type RunConfig } from './run-config.js';

const ENV_PATTERN = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

const WHOLE_VALUE = /^\$\{[A-Za-z_][A-Za-z0-9_]*(?::-[^}]*)?\}$/;

/**
 * Replaces `${VAR}` and `${VAR:-default}` in every string of the document; unset variables are problems. A value
 * that is one placeholder alone is read as a YAML scalar, so `capital: ${CAPITAL:-50000}` is a number.
 */
export function interpolateEnv(value: unknown, env: Readonly<Record<string, string | undefined>>, problems: Problem[], path: PropertyKey[] = []): unknown {
  if (typeof value === 'string') {
    const whole = WHOLE_VALUE.test(value);
    const replaced = value.replace(ENV_PATTERN, (match, name: string, fallback: string | undefined) => {
      const v = env[name];
      if (v !== undefined) return v;
      if (fallback !== undefined) return fallback;
      problems.push({ path: formatPath(path), message: `environment variable ${name} is not set (write \${${name}:-default} for a default)`, severity: 'error' });
      return match;
    });
    if (!whole || replaced === value) return replaced;
    const scalar: unknown = parseYaml(replaced);
    return typeof scalar === 'number' || typeof scalar === 'boolean' ? scalar : replaced;
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolateEnv(v, env, problems, [...path, i]));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateEnv(v, env, problems, [...path, k])]));
  }
  return value;
}

function invalid(file: string, problems: Problem[], hint = 'fix the listed fields; docs/config-reference.md describes every field'): ConfigInvalidError {
  return new ConfigInvalidError(`${file} is not a valid run config (${problems.length} problem${problems.length === 1 ? '' : 's'})`, { path: file, problems, hint });
}

const FORMATS = ['.yaml', '.yml', '.json'];
/** YAML syntax errors listed at most; later ones usually follow from the first. */
const SYNTAX_ERRORS_SHOWN = 3;
/** How deep a run file may nest: the deepest real one (a plugin config inside a strategy) needs under ten levels. */
const MAX_DEPTH = 64;
/** YAML aliases (`*name`) a run file may expand; more is a document built to exhaust memory. */
const MAX_ALIASES = 1_000;
/** Keys that would change what objects inherit rather than set anything: refused, never dropped in silence. */
const NOT_SETTINGS = new Set(['__proto__', 'constructor', 'prototype']);

/** The document in a run file's text, or the syntax errors that keep it from being read. */
function readDocument(text: string, file: string): unknown {
  if (extname(file).toLowerCase() === '.json') {
    try {
      return JSON.parse(text);
    } catch (error) {
      if (error instanceof RangeError) throw tooDeep(file);
      throw invalid(file, [{ path: '(root)', message: `not valid JSON: ${(error as Error).message}`, severity: 'error' }], 'fix the JSON syntax at the place named (or write the file as YAML, which is easier by hand)');
    }
  }
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parseDocument(text, { prettyErrors: true });
  } catch (error) {
    if (error instanceof RangeError) throw tooDeep(file);
    throw error;
  }
  if (doc.errors.some((e) => e.message.includes('Maximum call stack'))) throw tooDeep(file);
  if (doc.errors.length > 0) {
    const shown = doc.errors.slice(0, SYNTAX_ERRORS_SHOWN).map((e) => ({
      path: e.linePos === undefined ? '(root)' : `line ${e.linePos[0].line}, column ${e.linePos[0].col}`,
      message: e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''),
      severity: 'error' as const,
    }));
    const more = doc.errors.length - shown.length;
    throw invalid(file, shown, `the file is not valid YAML: fix the first error listed${more > 0 ? ` (${more} more after it, most of which usually go away with it)` : ''}; indent with spaces, the same number for every key of one block`);
  }
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    if (error instanceof RangeError) throw tooDeep(file);
    const message = error instanceof Error ? error.message : String(error);
    if (/alias/i.test(message)) {
      throw invalid(file, [{ path: '(root)', message: `its YAML aliases (*name) expand to more than ${MAX_ALIASES} copies, which no run file needs`, severity: 'error' }], 'write the settings out, or use fewer aliases');
    }
    throw invalid(file, [{ path: '(root)', message: `cannot be read: ${message}`, severity: 'error' }]);
  }
}

function tooDeep(file: string): ConfigInvalidError {
  return invalid(file, [{ path: '(root)', message: `nests deeper than ${MAX_DEPTH} levels, which no run file needs`, severity: 'error' }], 'a run file is a few levels of settings: check the file is the one you meant');
}

/**
 * What in the document's shape is not a run file's: nesting deeper than `MAX_DEPTH`, or a key such as `__proto__`
 * that sets no setting. Walked without recursion, so no document can exhaust the stack here.
 */
function shapeProblems(document: unknown): Problem[] {
  const problems: Problem[] = [];
  const stack: [unknown, string, number][] = [[document, '', 0]];
  while (stack.length > 0 && problems.length < 10) {
    const [value, path, depth] = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > MAX_DEPTH) {
      problems.push({ path: path === '' ? '(root)' : path.length > 60 ? `${path.slice(0, 60)}…` : path, message: `nests deeper than ${MAX_DEPTH} levels, which no run file needs`, severity: 'error' });
      break;
    }
    if (Array.isArray(value)) {
      value.forEach((item, i) => stack.push([item, `${path}[${i}]`, depth + 1]));
      continue;
    }
    for (const key of Object.keys(value)) {
      const at = path === '' ? key : `${path}.${key}`;
      if (NOT_SETTINGS.has(key)) problems.push({ path: at, message: `"${key}" is not a setting: a key of that name would change what every object inherits`, severity: 'error' });
      else stack.push([(value as Record<string, unknown>)[key], at, depth + 1]);
    }
  }
  return problems;
}

/**
 * Parses YAML or JSON text (by extension), interpolates the environment, and validates the shape of the run.
 * With the plugin catalog, a file with mistakes also has its plugin references and their configs checked, so one
 * round reports every problem.
 */
export async function parseRunConfig(text: string, file: string, env: Readonly<Record<string, string | undefined>>, catalog?: PluginCatalog): Promise<RunConfig> {
  const raw = readDocument(text, file);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    const got = raw === null || raw === undefined ? 'nothing (the file is empty)' : Array.isArray(raw) ? 'a list' : `the ${typeof raw} ${JSON.stringify(raw).slice(0, 40)}`;
    throw invalid(file, [{ path: '(root)', message: `a run config is a mapping of settings (data:, symbols:, strategies: ...), and this file holds ${got}`, severity: 'error' }], '`trading-orchestrator init` writes a starter run file to begin from');
  }
  const shape = shapeProblems(raw);
  if (shape.length > 0) throw invalid(file, shape, 'remove what is named: a run file is a few levels of settings, and a plugin config takes only the settings its plugin documents');
  const problems: Problem[] = [];
  const interpolated = interpolateEnv(withoutEmptyKeys(raw), env, problems) as Record<string, unknown>;
  if (problems.length > 0) throw invalid(file, problems);
  // One data plugin may be written as a mapping; the run takes a list.
  const data = interpolated['data'];
  const listed = typeof data === 'object' && data !== null && !Array.isArray(data) ? { ...interpolated, data: [data] } : interpolated;
  const result = await validateConfig(runConfigSchema, listed);
  if (result.ok) return result.value;
  const all = result.problems.map((p) => ({ ...p, path: asWritten(p.path, interpolated) }));
  if (catalog !== undefined) {
    const refs = pluginReferences(interpolated);
    const resolved = resolvePlugins(refs, catalog);
    const seen = new Set(all.map((p) => p.path));
    for (const p of [...resolved.problems, ...(await pluginConfigProblems(refs, resolved.found))]) if (!seen.has(p.path)) all.push(p);
  }
  throw invalid(file, inDocumentOrder(all, interpolated));
}

/** A problem's path as the user wrote the file: a single data plugin is `data`, not `data[0]` of the list it becomes. */
function asWritten(path: string, document: unknown): string {
  const data = (document as Record<string, unknown>)['data'];
  const single = !Array.isArray(data) || data.length === 1;
  return single && path.startsWith('data[0]') ? `data${path.slice('data[0]'.length)}` : path;
}

/**
 * The document without keys that have nothing after them (`risk:` whose entries are all commented out reads as
 * null in YAML): such a key counts as not written, so its default applies instead of a type error.
 */
function withoutEmptyKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutEmptyKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).flatMap(([k, v]) => (v === null ? [] : [[k, withoutEmptyKeys(v)]])));
}

/** Problems in the order their places appear in the file, so a reader goes through it top to bottom once. */
function inDocumentOrder(problems: readonly Problem[], document: unknown): Problem[] {
  const position = (path: string): number[] => {
    const out: number[] = [];
    let node: unknown = document;
    for (const [, key, index] of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
      if (index !== undefined) {
        out.push(Number(index));
        node = Array.isArray(node) ? node[Number(index)] : undefined;
      } else {
        const keys = typeof node === 'object' && node !== null ? Object.keys(node) : [];
        const at = keys.indexOf(key!);
        // A setting that is missing sorts after the ones written beside it.
        out.push(at < 0 ? Number.MAX_SAFE_INTEGER : at);
        node = at < 0 ? undefined : (node as Record<string, unknown>)[key!];
      }
    }
    return out;
  };
  const keyed = problems.map((p) => ({ p, at: position(p.path) }));
  keyed.sort((a, b) => {
    for (let i = 0; i < Math.min(a.at.length, b.at.length); i++) if (a.at[i] !== b.at[i]) return a.at[i]! - b.at[i]!;
    return a.at.length - b.at.length;
  });
  return keyed.map(({ p }) => p);
}

export async function loadRunConfig(file: string, env: Readonly<Record<string, string | undefined>>, catalog?: PluginCatalog): Promise<RunConfig> {
  if (!FORMATS.includes(extname(file).toLowerCase())) {
    throw new ConfigInvalidError(`${file} is not a YAML or JSON file`, {
      path: file,
      hint: `write the run config as YAML (.yaml or .yml) or JSON (.json); \`trading-orchestrator init run.yaml\` writes a starter`,
    });
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ConfigInvalidError(`no run config at ${file}`, { path: file, hint: 'check the path (it is relative to the current folder), or write a starter there with `trading-orchestrator init <file>`' });
    if (code === 'EISDIR') throw new ConfigInvalidError(`${file} is a folder, not a run config`, { path: file, hint: 'name the YAML or JSON file inside it, e.g. --config run.yaml' });
    throw new ConfigInvalidError(`cannot read the run config ${file} (${code ?? String(error)})`, { path: file, hint: 'make the file readable by this user' });
  }
  return parseRunConfig(text, file, env, catalog);
}
