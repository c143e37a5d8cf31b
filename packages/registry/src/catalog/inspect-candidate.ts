import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isPluginKind, MANIFEST_PATH, readManifestField, validateManifest, type Problem } from '@trading-orchestrator/plugin-api';
import { checkApiCompatibility } from '../compat/check-api-compatibility.js';
import { entryOutsidePackage } from '../package/entry-outside-package.js';
import { readPackageJson } from '../package/read-package-json.js';
import type { Candidate, RootScan } from '../roots/candidate.js';
import type { CatalogEntry } from './catalog-entry.js';

export interface HostInfo {
  readonly apiVersion: string;
  readonly hostPackage: string;
}

function realPackageDir(candidate: Candidate, scan: RootScan): string | undefined {
  const dir = dirname(candidate.packageJsonPath);
  try {
    return realpathSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    scan.problems.push({
      path: dir,
      message: code === 'ELOOP' ? 'symbolic link loop' : `cannot resolve folder (${code ?? String(error)})`,
      severity: 'warning',
      fix: 'remove or repair the link',
    });
    return undefined;
  }
}

/**
 * Reads one candidate's package.json and turns it into a catalog entry, or records why it is not one.
 * `seen` holds real package folders already inspected, so a package reached twice is listed once.
 */
export function inspectCandidate(candidate: Candidate, host: HostInfo, seen: Set<string>, scan: RootScan): CatalogEntry | undefined {
  const packageDir = realPackageDir(candidate, scan);
  if (packageDir === undefined || seen.has(packageDir)) return undefined;
  seen.add(packageDir);
  const packageJsonPath = join(packageDir, 'package.json');
  const read = readPackageJson(packageJsonPath);
  if (!read.ok) {
    if (!(read.missing && candidate.notAPlugin === 'ignore')) {
      scan.problems.push({ path: packageJsonPath, message: read.message, severity: candidate.notAPlugin === 'ignore' ? 'warning' : 'error', fix: 'repair or reinstall the package' });
    }
    return undefined;
  }
  const raw = read.mentionsManifest ? readManifestField(read.json) : undefined;
  if (raw === undefined) {
    if (candidate.notAPlugin !== 'ignore') {
      scan.problems.push({
        path: packageJsonPath,
        message: `not a plugin: package.json has no "${MANIFEST_PATH}" field`,
        severity: candidate.notAPlugin,
        fix: 'add the manifest field (see docs/plugin-authors.md) or remove this path from the plugin paths',
      });
    }
    return undefined;
  }
  scan.watched.push(packageJsonPath);

  const packageName = typeof read.json.name === 'string' ? read.json.name : basename(packageDir);
  const problems: Problem[] = [];
  if (typeof read.json.version !== 'string') {
    problems.push({ path: 'version', message: 'package.json has no version; 0.0.0 is assumed', severity: 'warning' });
  }
  const version = typeof read.json.version === 'string' ? read.json.version : '0.0.0';
  const validation = validateManifest(raw);
  problems.push(...validation.problems);
  const base = { version, packageName, packageDir, source: candidate.source };

  if (!validation.ok) {
    const rawId = (raw as { id?: unknown } | null)?.id;
    const rawKind = (raw as { kind?: unknown } | null)?.kind;
    const errors = validation.problems.filter((p) => p.severity === 'error').length;
    return {
      ...base,
      id: typeof rawId === 'string' && rawId !== '' ? rawId : packageName,
      kind: isPluginKind(rawKind) ? rawKind : undefined,
      status: 'invalid',
      manifest: undefined,
      reason: `manifest has ${errors} error${errors === 1 ? '' : 's'}`,
      fix: `correct "${MANIFEST_PATH}" in ${packageJsonPath}, or install a fixed release of ${packageName}`,
      problems,
    };
  }

  const manifest = validation.manifest;
  const entryFile = join(packageDir, manifest.entry);
  scan.watched.push(entryFile);
  const badEntry = (message: string, reason: string, fix: string): CatalogEntry => {
    problems.push({ path: `${MANIFEST_PATH}.entry`, message, severity: 'error' });
    return { ...base, id: manifest.id, kind: manifest.kind, status: 'invalid', manifest, reason, fix, problems };
  };
  if (!existsSync(entryFile)) {
    const fix = candidate.source === 'dependency' ? `reinstall ${packageName}` : `build the package (e.g. npm run build in ${packageDir})`;
    return badEntry(`file ${manifest.entry} does not exist in the package`, `entry ${manifest.entry} is missing`, fix);
  }
  const outside = entryOutsidePackage(packageDir, entryFile);
  if (outside !== undefined) {
    return badEntry(outside, `entry ${manifest.entry} is not a file of the package`, `point "${MANIFEST_PATH}.entry" at a file inside ${packageDir}; a package whose entry leads elsewhere is not loaded`);
  }

  const compatibility = checkApiCompatibility({ wanted: manifest.api, hostVersion: host.apiVersion, pluginPackage: packageName, hostPackage: host.hostPackage });
  if (!compatibility.compatible) {
    return { ...base, id: manifest.id, kind: manifest.kind, status: 'incompatible', manifest, reason: compatibility.reason, fix: compatibility.fix, problems };
  }
  return { ...base, id: manifest.id, kind: manifest.kind, status: 'compatible', manifest, problems };
}
