import { dirname, resolve } from 'node:path';
import type { RunConfig } from './run-config.js';

export const DEFAULT_JOURNAL = 'trading-orchestrator.db';
export const DEFAULT_REPORT = 'trading-orchestrator-report.html';

/** Where a run writes one of its files, and who said so (for the message when there is none). */
export type OutputFile =
  | { readonly file: string; readonly named: 'option' | 'config' | 'default' }
  | { readonly file: undefined; readonly named: 'option' | 'config' };

/**
 * The journal's or the report's file: the command-line option (`--journal x`, `--no-journal`) wins, then the
 * config file's field (a path relative to that file, or false), then the default in the current folder.
 */
export function outputFile(
  option: { readonly path: string | undefined; readonly none: boolean },
  fromConfig: RunConfig['journal'],
  configFile: string | undefined,
  cwd: string,
  fallback: string,
): OutputFile {
  if (option.none) return { file: undefined, named: 'option' };
  if (option.path !== undefined) return { file: resolve(cwd, option.path), named: 'option' };
  if (fromConfig === false) return { file: undefined, named: 'config' };
  if (fromConfig !== undefined && configFile !== undefined) return { file: resolve(dirname(configFile), fromConfig), named: 'config' };
  return { file: resolve(cwd, fallback), named: 'default' };
}
