import { accessSync, constants, existsSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
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

/**
 * Why `file` cannot be written, found before a run spends its time (a missing or read-only folder, a folder or
 * a read-only file in its place), or undefined when it can.
 */
export function unwritable(file: string): string | undefined {
  const folder = dirname(file);
  if (!existsSync(folder)) return `the folder ${folder} does not exist`;
  if (!statSync(folder).isDirectory()) return `${folder} is a file, not a folder`;
  try {
    accessSync(folder, constants.W_OK);
  } catch {
    return `the folder ${folder} is not writable by this user`;
  }
  if (!existsSync(file)) return undefined;
  if (statSync(file).isDirectory()) return `${file} is a folder`;
  try {
    accessSync(file, constants.W_OK);
  } catch {
    return `${file} is read-only`;
  }
  return undefined;
}

/**
 * Writes a finished run's file. If `file` cannot be written after all (the folder went away or became read-only
 * during the run), the same name in the current folder is tried, then in the system's temporary folder: a
 * finished run's output is never lost. Returns where it went and, when that is not `file`, why.
 */
export function writeOutput(file: string, text: string, cwd: string): { readonly path: string; readonly failure?: string } {
  let failure: string | undefined;
  for (const path of [file, join(cwd, basename(file)), join(tmpdir(), `${Date.now()}-${basename(file)}`)]) {
    try {
      writeFileSync(path, text);
      return failure === undefined ? { path } : { path, failure };
    } catch (error) {
      failure ??= `${(error as NodeJS.ErrnoException).code ?? 'error'}: ${(error as Error).message}`;
    }
  }
  throw new Error(`cannot write ${basename(file)} anywhere (${failure})`);
}
