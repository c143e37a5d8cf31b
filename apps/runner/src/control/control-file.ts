import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Where a session run from `configDir` writes how to reach its control API. */
export function controlFilePath(configDir: string): string {
  return join(configDir, '.trading-orchestrator', 'control.json');
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
