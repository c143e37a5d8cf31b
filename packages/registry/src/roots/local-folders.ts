import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { emptyScan, type RootScan } from './candidate.js';
import { listPackageDirs } from './list-package-dirs.js';

/**
 * Local plugin folders: each is either a plugin package itself or a folder of plugin packages (one level,
 * `@scope/name` included). Nothing deeper is searched, so a symlink cycle cannot recurse.
 */
export function scanLocalFolders(folders: readonly string[], baseDir: string): RootScan {
  const scan = emptyScan();
  for (const raw of folders) {
    const folder = resolve(baseDir, raw);
    const ownPackageJson = join(folder, 'package.json');
    if (existsSync(ownPackageJson)) {
      scan.watched.push(ownPackageJson);
      scan.candidates.push({ packageJsonPath: ownPackageJson, source: 'local-folder', notAPlugin: 'error' });
      continue;
    }
    if (!existsSync(folder)) {
      scan.problems.push({ path: folder, message: 'plugin folder does not exist', severity: 'error', fix: 'create it or remove it from the plugin folders (pluginFolders / --plugin-dir)' });
      continue;
    }
    for (const dir of listPackageDirs(folder, scan)) {
      const packageJsonPath = join(dir, 'package.json');
      if (existsSync(packageJsonPath)) scan.candidates.push({ packageJsonPath, source: 'local-folder', notAPlugin: 'warning' });
    }
  }
  return scan;
}
