import type { StandardJSONSchemaV1, StandardSchemaV1 } from '@standard-schema/spec';

/**
 * Any Standard Schema validator (zod 4, valibot, arktype, ...) whose output is the plugin's config.
 * The host only calls `~standard.validate`, so it never depends on the plugin's copy of the library.
 */
export type ConfigSchema<Config = unknown> = StandardSchemaV1<unknown, Config>;

/** The config type a schema produces. */
export type InferConfig<S extends ConfigSchema> = StandardSchemaV1.InferOutput<S>;

export type { StandardJSONSchemaV1, StandardSchemaV1 };

export function isConfigSchema(value: unknown): value is ConfigSchema {
  const std = (value as { '~standard'?: { version?: unknown; validate?: unknown } } | null)?.['~standard'];
  return typeof std === 'object' && std !== null && std.version === 1 && typeof std.validate === 'function';
}
