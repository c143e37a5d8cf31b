import { formatPath, joinPath, type Problem } from '../errors/problem.js';
import { CAPABILITY_KEYS, MANIFEST_FIELD, MANIFEST_KEY, MANIFEST_KEYS, MANIFEST_PATH, pluginManifestSchema, type PluginManifest } from './manifest-schema.js';

export type ManifestValidation =
  | { readonly ok: true; readonly manifest: PluginManifest; readonly problems: readonly Problem[] }
  | { readonly ok: false; readonly problems: readonly Problem[] };

/** The raw manifest object of a parsed package.json, or undefined when the package is not a plugin. */
export function readManifestField(packageJson: unknown): unknown {
  if (typeof packageJson !== 'object' || packageJson === null) return undefined;
  const field = (packageJson as Record<string, unknown>)[MANIFEST_FIELD];
  if (typeof field !== 'object' || field === null) return undefined;
  return (field as Record<string, unknown>)[MANIFEST_KEY];
}

function unknownKeys(value: unknown, known: ReadonlySet<string>, at: string): Problem[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  return Object.keys(value)
    .filter((key) => !known.has(key))
    .map((key) => ({
      path: joinPath(at, formatPath([key])),
      message: `unknown field "${key}" is ignored (known: ${[...known].join(', ')})`,
      severity: 'warning' as const,
    }));
}

function valueAt(root: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let node = root;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/**
 * Validates a manifest and reports every problem with its path inside package.json. Unknown fields are warnings,
 * so a manifest written for a newer host still loads.
 */
export function validateManifest(raw: unknown): ManifestValidation {
  const warnings = [
    ...unknownKeys(raw, MANIFEST_KEYS, MANIFEST_PATH),
    ...unknownKeys((raw as { capabilities?: unknown } | null)?.capabilities, CAPABILITY_KEYS, `${MANIFEST_PATH}.capabilities`),
  ];
  const parsed = pluginManifestSchema.safeParse(raw);
  if (parsed.success) return { ok: true, manifest: parsed.data, problems: warnings };
  const errors = parsed.error.issues.map(
    (issue): Problem => ({
      path: joinPath(MANIFEST_PATH, formatPath(issue.path)),
      message: valueAt(raw, issue.path) === undefined && issue.code !== 'custom' ? 'is required' : issue.message,
      severity: 'error',
    }),
  );
  return { ok: false, problems: [...errors, ...warnings] };
}
