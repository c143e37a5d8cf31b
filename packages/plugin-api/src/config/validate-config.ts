import type { StandardSchemaV1 } from '@standard-schema/spec';
import { ConfigInvalidError } from '../errors/errors.js';
import { formatPath, joinPath, type Problem } from '../errors/problem.js';
import { configJsonSchema, type JsonSchema } from './config-json-schema.js';
import type { ConfigSchema } from './config-schema.js';
import { unknownKeys } from './unknown-keys.js';

export type ConfigValidation<Config> =
  | { readonly ok: true; readonly value: Config }
  | { readonly ok: false; readonly problems: readonly Problem[] };

export interface ConfigValidationOptions {
  /** Prefix for problem paths, e.g. `strategies[0].config`, so messages point into the user's file. */
  readonly pathPrefix?: string;
}

/** Validates a user's config against a plugin's schema and collects every problem, not just the first. */
export async function validateConfig<Config>(
  schema: ConfigSchema<Config>,
  input: unknown,
  options: ConfigValidationOptions = {},
): Promise<ConfigValidation<Config>> {
  const prefix = options.pathPrefix ?? '';
  let result: StandardSchemaV1.Result<Config>;
  try {
    result = await schema['~standard'].validate(input);
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    return { ok: false, problems: [{ path: prefix || '(root)', message: `the config schema threw: ${message}`, severity: 'error' }] };
  }
  const problems = (result.issues ?? []).map((issue): Problem => ({
    path: joinPath(prefix, formatPath((issue.path ?? []).map((s) => (typeof s === 'object' ? s.key : s)))),
    message: plainMessage(issue.message),
    severity: 'error',
  }));
  const shape = inputJsonSchema(schema);
  if (shape !== undefined) {
    const reported = new Set(problems.map((p) => p.path));
    for (const p of unknownKeys(shape, input)) {
      const path = joinPath(prefix, p.path);
      if (!reported.has(path)) problems.push({ ...p, path });
    }
  }
  if (problems.length === 0) return { ok: true, value: (result as StandardSchemaV1.SuccessResult<Config>).value };
  return { ok: false, problems };
}

/** zod says "Invalid input: expected number, received undefined" for a setting left out: say that it is required. */
function plainMessage(message: string): string {
  const missing = /expected (.+), received undefined$/.exec(message);
  return missing === null ? message : `required, and not set (expected ${missing[1]})`;
}

/** The schema's JSON Schema, when its validator offers one it can build; unknown keys are only found with it. */
function inputJsonSchema(schema: ConfigSchema): JsonSchema | undefined {
  try {
    return configJsonSchema(schema);
  } catch {
    // Some shapes have no JSON Schema (a zod transform's input, a custom check): the config is still validated.
    return undefined;
  }
}

/** Like {@link validateConfig} but throws a {@link ConfigInvalidError} listing every problem. */
export async function parseConfig<Config>(
  schema: ConfigSchema<Config>,
  input: unknown,
  options: ConfigValidationOptions & { readonly pluginId?: string } = {},
): Promise<Config> {
  const result = await validateConfig(schema, input, options);
  if (result.ok) return result.value;
  const who = options.pluginId === undefined ? 'plugin' : `plugin "${options.pluginId}"`;
  const count = result.problems.length;
  throw new ConfigInvalidError(`config for ${who} is invalid (${count} problem${count === 1 ? '' : 's'})`, {
    ...(options.pathPrefix === undefined ? {} : { path: options.pathPrefix }),
    ...(options.pluginId === undefined ? {} : { pluginId: options.pluginId }),
    problems: result.problems,
  });
}
