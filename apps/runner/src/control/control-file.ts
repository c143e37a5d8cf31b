import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Where the session of run file `configFile` writes how to reach its control API: one file per run file. */
export function controlFilePath(configFile: string): string {
  return join(dirname(configFile), '.trading-orchestrator', `control-${basename(configFile)}.json`);
}

export interface ControlFile {
  readonly url: string;
  readonly token: string;
  readonly pid: number;
  readonly config: string;
}

/** Written readable by the user alone: the token in it drives the session. */
export function writeControlFile(path: string, contents: ControlFile): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(contents, null, 2)}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
}

export function readControlFile(path: string): ControlFile | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as ControlFile;
  } catch {
    return undefined;
  }
}

export function removeControlFile(path: string): void {
  rmSync(path, { force: true });
}
