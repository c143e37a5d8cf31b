import { readFileSync } from 'node:fs';

export interface PackageJson {
  readonly name?: unknown;
  readonly version?: unknown;
  readonly dependencies?: unknown;
  readonly devDependencies?: unknown;
  readonly optionalDependencies?: unknown;
  readonly [key: string]: unknown;
}

export type PackageJsonRead =
  | { readonly ok: true; readonly json: PackageJson; readonly mentionsManifest: boolean }
  | { readonly ok: false; readonly missing: boolean; readonly message: string };

const MANIFEST_MARKER = '"trading-orchestrator"';

/**
 * Reads a package.json without throwing. Text without the manifest key is flagged so callers that only want
 * plugins can skip it; JSON.parse of a large package.json costs more than the file read.
 */
export function readPackageJson(path: string): PackageJsonRead {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: false, missing: true, message: 'no package.json here' };
    if (code === 'EACCES' || code === 'EPERM') return { ok: false, missing: false, message: 'package.json is not readable (permission denied)' };
    if (code === 'ELOOP') return { ok: false, missing: false, message: 'symbolic link loop' };
    if (code === 'EISDIR') return { ok: false, missing: false, message: 'package.json is a directory' };
    return { ok: false, missing: false, message: `cannot read package.json (${code ?? String(error)})` };
  }
  try {
    const json: unknown = JSON.parse(text);
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      return { ok: false, missing: false, message: 'package.json does not contain a JSON object' };
    }
    return { ok: true, json: json as PackageJson, mentionsManifest: text.includes(MANIFEST_MARKER) };
  } catch (error) {
    return { ok: false, missing: false, message: `package.json is not valid JSON: ${(error as Error).message}` };
  }
}
