import type { StandardJSONSchemaV1 } from '@standard-schema/spec';
import type { ConfigSchema } from './config-schema.js';

export type JsonSchema = Record<string, unknown>;

/**
 * The JSON Schema (draft 2020-12) of what a user may write for a plugin's config, for editors and
 * `plugins info`. Uses the Standard JSON Schema interface (zod 4.2+ and others implement it);
 * returns undefined when the validator does not offer it.
 */
export function configJsonSchema(schema: ConfigSchema): JsonSchema | undefined {
  const std = (schema as unknown as { '~standard'?: Partial<StandardJSONSchemaV1['~standard']> })['~standard'];
  const converter = std?.jsonSchema;
  if (converter === undefined || typeof converter.input !== 'function') return undefined;
  return converter.input({ target: 'draft-2020-12' });
}
