import { isPluginDefinition, type PluginDefinition } from '@trading-orchestrator/plugin-api';

/** How long a plugin's entry may take to import (its top-level code, awaits included). */
export const ENTRY_IMPORT_LIMIT_MS = 30_000;

/** What importing a plugin's entry gave: its definition, or why there is none, in words. */
export type EntryImport = { readonly ok: true; readonly definition: PluginDefinition } | { readonly ok: false; readonly problem: 'import-failed' | 'timed-out' | 'no-definition'; readonly message: string };

/**
 * Imports a plugin's entry module and picks its definition (`default`, else `plugin`), never throwing: a module that
 * throws while it loads, whose top-level await has not settled within `limitMs` (a process with nothing else to do
 * would otherwise exit 13 in silence), or whose exports throw when read is reported, not raised. A timed-out module
 * stays in memory: ESM has no way to cancel an import.
 */
export async function importEntry(url: string, limitMs = ENTRY_IMPORT_LIMIT_MS): Promise<EntryImport> {
  let timer: NodeJS.Timeout | undefined;
  let module: Record<string, unknown>;
  try {
    module = await Promise.race([
      import(url) as Promise<Record<string, unknown>>,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new EntryTimeout()), limitMs);
      }),
    ]);
  } catch (error) {
    if (error instanceof EntryTimeout) return { ok: false, problem: 'timed-out', message: `did not finish loading within ${limitMs / 1000} s (a top-level await that never settles?)` };
    return { ok: false, problem: 'import-failed', message: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
  try {
    const definition = module.default ?? module.plugin;
    if (isPluginDefinition(definition)) return { ok: true, definition };
    return { ok: false, problem: 'no-definition', message: 'does not export a plugin definition as "default" or "plugin"' };
  } catch (error) {
    return { ok: false, problem: 'no-definition', message: `has exports that threw when read: ${error instanceof Error ? error.message : String(error)}` };
  }
}

class EntryTimeout extends Error {}
