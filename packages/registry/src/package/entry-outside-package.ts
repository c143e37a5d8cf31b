import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';

/**
 * Why an entry that exists is not the package's own file, or undefined when it is: it must be a regular file whose
 * real path (symbolic links followed) lies inside the package's real folder, so that validating or loading a plugin
 * never runs code from somewhere else.
 */
export function entryOutsidePackage(packageDir: string, entryFile: string): string | undefined {
  let real: string;
  let root: string;
  try {
    real = realpathSync(entryFile);
    root = realpathSync(packageDir);
  } catch (error) {
    return `entry cannot be resolved: ${(error as Error).message}`;
  }
  const inside = relative(root, real);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return `entry resolves to ${real}, outside the package (${root})`;
  if (!statSync(real).isFile()) return `entry resolves to ${real}, which is not a file`;
  return undefined;
}
