import { z } from 'zod';
import type { JsonSchema } from '../config/config-json-schema.js';
import { pluginManifestSchema } from './manifest-schema.js';

let cached: JsonSchema | undefined;

/** JSON Schema (draft 2020-12) of the manifest object, for editors and other tooling. */
export function manifestJsonSchema(): JsonSchema {
  cached ??= z.toJSONSchema(pluginManifestSchema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return cached;
}
