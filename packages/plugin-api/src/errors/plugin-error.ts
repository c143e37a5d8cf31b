import type { Problem } from './problem.js';

const PLUGIN_ERROR_BRAND = Symbol.for('trading-orchestrator.plugin-error');

export type PluginErrorCode =
  | 'MANIFEST_INVALID'
  | 'API_INCOMPATIBLE'
  | 'CONFIG_INVALID'
  | 'LOAD_FAILED'
  | 'HOOK_FAILED'
  | 'HOOK_TIMED_OUT'
  | 'ILLEGAL_TRANSITION'
  | 'DEPENDENCY_FAILED'
  | 'DATA_UNAVAILABLE';

export interface PluginErrorDetails {
  /** Where the problem is: a file, a config path, or `plugin-id.hook`. */
  readonly path?: string;
  /** What the user can do about it. */
  readonly hint: string;
  readonly pluginId?: string;
  readonly problems?: readonly Problem[];
  readonly cause?: unknown;
}

/**
 * Base of every error the platform raises about a plugin. Identify them with {@link isPluginError}, never
 * `instanceof`: a plugin may bundle its own copy of this package.
 */
export class PluginError extends Error {
  readonly [PLUGIN_ERROR_BRAND] = true;
  readonly code: PluginErrorCode;
  readonly path: string | undefined;
  readonly hint: string;
  readonly pluginId: string | undefined;
  readonly problems: readonly Problem[];

  constructor(code: PluginErrorCode, message: string, details: PluginErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.code = code;
    this.path = details.path;
    this.hint = details.hint;
    this.pluginId = details.pluginId;
    this.problems = details.problems ?? [];
  }

  /** The message, every problem on its own line, and the hint: what a CLI prints. */
  describe(): string {
    const lines = [this.message];
    for (const p of this.problems) lines.push(`  - ${p.path}: ${p.message}${p.severity === 'warning' ? ' (warning)' : ''}`);
    lines.push(`  fix: ${this.hint}`);
    return lines.join('\n');
  }
}

export function isPluginError(value: unknown): value is PluginError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<PropertyKey, unknown>)[PLUGIN_ERROR_BRAND] === true &&
    typeof (value as { code?: unknown }).code === 'string'
  );
}

export function hasErrorCode(value: unknown, code: PluginErrorCode): value is PluginError {
  return isPluginError(value) && value.code === code;
}
