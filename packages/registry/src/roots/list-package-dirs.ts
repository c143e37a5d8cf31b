import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { RootScan } from './candidate.js';

function listDir(dir: string, scan: RootScan): string[] {
  try {
    return readdirSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    scan.problems.push({
      path: dir,
      message: code === 'EACCES' || code === 'EPERM' ? 'folder is not readable (permission denied)' : `cannot list folder (${code ?? String(error)})`,
      severity: 'warning',
      fix: 'make the folder readable or remove it from the plugin folders',
    });
    return [];
  }
}

function isDirectory(path: string, scan: RootScan): boolean {
  try {
    return statSync(path).isDirectory();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      scan.problems.push({ path, message: 'broken symbolic link', severity: 'warning', fix: 'remove the link or point it at an existing folder' });
    } else if (code === 'ELOOP') {
      scan.problems.push({ path, message: 'symbolic link loop', severity: 'warning', fix: 'remove the looping link' });
    } else {
      scan.problems.push({ path, message: `cannot inspect (${code ?? String(error)})`, severity: 'warning' });
    }
    return false;
  }
}

/**
 * Package folders directly inside `dir`, with `@scope/name` folders one level deeper, following symlinks (pnpm,
 * workspace links). Dot folders and nested node_modules are skipped. Listed folders are added to `scan.watched`.
 */
export function listPackageDirs(dir: string, scan: RootScan): string[] {
  scan.watched.push(dir);
  const out: string[] = [];
  for (const name of listDir(dir, scan).sort()) {
    if (name.startsWith('.') || name === 'node_modules') continue;
    const path = join(dir, name);
    if (!isDirectory(path, scan)) continue;
    if (name.startsWith('@')) {
      scan.watched.push(path);
      for (const child of listDir(path, scan).sort()) {
        const childPath = join(path, child);
        if (!child.startsWith('.') && isDirectory(childPath, scan)) out.push(childPath);
      }
    } else {
      out.push(path);
    }
  }
  return out;
}
