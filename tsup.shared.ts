import { readFileSync } from 'node:fs';
import type { Options } from 'tsup';

/** Build settings every package shares: ESM only, Node 20 target, declarations and source maps. */
export const sharedBuild: Options = {
  entry: ['src/index.ts'],
  format: ['esm'],
  target: 'node20',
  dts: true,
  sourcemap: true,
  clean: true,
};

/** The version field of the package.json at `packageJsonUrl`, for build-time constants. */
export function packageVersion(packageJsonUrl: URL): string {
  return (JSON.parse(readFileSync(packageJsonUrl, 'utf8')) as { version: string }).version;
}
