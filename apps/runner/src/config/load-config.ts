import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { ConfigInvalidError, formatPath, validateConfig, type Problem } from '@trading-orchestrator/plugin-api';
import { parse as parseYaml, parseDocument } from 'yaml';
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

function invalid(file: string, problems: Problem[]): ConfigInvalidError {
  return new ConfigInvalidError(`${file} is not a valid run config (${problems.length} problem${problems.length === 1 ? '' : 's'})`, {
    path: file,
    problems,
    hint: 'fix the listed fields; docs/config-reference.md describes every field',
  });
}

/** Parses YAML or JSON text (by extension), interpolates the environment, and validates the shape of the run. */
export async function parseRunConfig(text: string, file: string, env: Readonly<Record<string, string | undefined>>): Promise<RunConfig> {
  let raw: unknown;
  if (extname(file).toLowerCase() === '.json') {
    try {
      raw = JSON.parse(text);
    } catch (error) {
      throw invalid(file, [{ path: '(root)', message: `not valid JSON: ${(error as Error).message}`, severity: 'error' }]);
    }
  } else {
    const doc = parseDocument(text, { prettyErrors: true });
    if (doc.errors.length > 0) {
      throw invalid(file, doc.errors.map((e) => ({ path: e.linePos === undefined ? '(root)' : `line ${e.linePos[0].line}, column ${e.linePos[0].col}`, message: e.message.split('\n')[0]!, severity: 'error' as const })));
    }
    raw = doc.toJS();
  }
  const problems: Problem[] = [];
  const interpolated = interpolateEnv(raw, env, problems);
  if (problems.length > 0) throw invalid(file, problems);
  const result = await validateConfig(runConfigSchema, interpolated);
  if (!result.ok) throw invalid(file, [...result.problems]);
  return result.value;
}

export async function loadRunConfig(file: string, env: Readonly<Record<string, string | undefined>>): Promise<RunConfig> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw invalid(file, [{ path: '(root)', message: `cannot read the file (${(error as NodeJS.ErrnoException).code ?? String(error)})`, severity: 'error' }]);
  }
  return parseRunConfig(text, file, env);
}
