import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { importEntry } from '@trading-orchestrator/core-manager';
import { isConfigSchema, PLUGIN_API_VERSION, readManifestField, validateConfig, validateManifest, MANIFEST_PATH } from '@trading-orchestrator/plugin-api';
import { checkApiCompatibility, entryOutsidePackage } from '@trading-orchestrator/registry';
import { PANEL_SCRIPT_LIMIT } from '../dashboard/panel-frame.js';

/** How long validation waits for the entry to load: a plugin that connects or loads a client library may be slow. */
const VALIDATE_IMPORT_LIMIT_MS = 20_000;

export interface ValidationReport {
  readonly ok: boolean;
  readonly lines: string[];
}

/**
 * Checks a plugin folder the way discovery and loading will: package.json, the manifest, the API range against
 * this host, the entry file, what it exports, and its config schema. Every problem is listed; this runs the
 * plugin's module code (loading would too).
 */
export async function validatePluginFolder(folder: string): Promise<ValidationReport> {
  const dir = resolve(folder);
  const lines: string[] = [];
  let errors = 0;
  const pass = (text: string) => lines.push(`  ok    ${text}`);
  const fail = (text: string) => {
    errors++;
    lines.push(`  error ${text}`);
  };
  const done = (): ValidationReport => {
    lines.push(errors === 0 ? 'the plugin is ready to be discovered and loaded' : `${errors} problem${errors === 1 ? '' : 's'}`);
    return { ok: errors === 0, lines };
  };

  const packageJsonPath = join(dir, 'package.json');
  let pkg: Record<string, unknown>;
  try {
    pkg = JSON.parse(readFileSync(packageJsonPath, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    lines.push(`validating ${dir}`);
    fail(`package.json: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : `not readable JSON (${(error as Error).message})`}`);
    return done();
  }
  if (typeof pkg !== 'object' || pkg === null || Array.isArray(pkg)) {
    lines.push(`validating ${dir}`);
    fail(`package.json: holds ${pkg === null ? 'null' : Array.isArray(pkg) ? 'an array' : `a ${typeof pkg}`}, not an object with "name", "version" and "${MANIFEST_PATH.split('.')[0]}"`);
    return done();
  }
  const name = typeof pkg.name === 'string' ? pkg.name : '(no name)';
  lines.push(`validating ${name}@${typeof pkg.version === 'string' ? pkg.version : '(no version)'} in ${dir}`);
  const raw = readManifestField(pkg);
  if (raw === undefined) {
    fail(`${MANIFEST_PATH}: missing; add {"trading-orchestrator": {"plugin": {"id", "kind", "api", "entry"}}} to package.json`);
    return done();
  }
  const manifest = validateManifest(raw);
  for (const p of manifest.problems) (p.severity === 'error' ? fail : (t: string) => lines.push(`  warn  ${t}`))(`${p.path}: ${p.message}`);
  if (!manifest.ok) return done();
  const m = manifest.manifest;
  pass(`manifest: id ${m.id}, kind ${m.kind}, api ${m.api}, entry ${m.entry}`);

  const compat = checkApiCompatibility({ wanted: m.api, hostVersion: PLUGIN_API_VERSION, pluginPackage: name, hostPackage: '@trading-orchestrator/runner' });
  if (compat.compatible) pass(`api ${m.api} admits this host's plugin API ${PLUGIN_API_VERSION}`);
  else fail(`api: ${compat.reason}; fix: ${compat.fix}`);
  const peer = (pkg.peerDependencies as Record<string, string> | undefined)?.['@trading-orchestrator/plugin-api'];
  if (peer === undefined) fail('peerDependencies: @trading-orchestrator/plugin-api is missing; list it with the same range as "api"');
  else if (peer !== m.api) fail(`peerDependencies: @trading-orchestrator/plugin-api is ${peer} but "api" is ${m.api}; make them the same range`);
  else pass(`plugin-api is a peer dependency (${peer})`);

  const entry = join(dir, m.entry);
  if (!existsSync(entry)) {
    fail(`entry ${m.entry} does not exist; build the package (npm run build)`);
    return done();
  }
  const outside = entryOutsidePackage(dir, entry);
  if (outside !== undefined) {
    fail(`entry ${m.entry}: ${outside}; point "entry" at a file inside the package (it is not imported)`);
    return done();
  }
  pass(`entry ${m.entry} exists`);
  if (m.kind === 'panel') {
    // A browser script: importing it in Node would run page code here. Its size is what the dashboard inlines.
    const size = statSync(entry).size;
    if (size === 0 || size > PANEL_SCRIPT_LIMIT) fail(`entry ${m.entry} is ${size} bytes; a panel's script is inlined in its frame and must hold 1 byte to ${PANEL_SCRIPT_LIMIT / 1024} KB`);
    else pass(`panel script of ${size} bytes, reading ${m.panel!.topics.join(', ')}`);
    return done();
  }
  if (!compat.compatible) {
    lines.push('  skip  the entry is not imported: this host would not load a plugin made for another plugin API');
    return done();
  }
  const loaded = await importEntry(pathToFileURL(entry).href, VALIDATE_IMPORT_LIMIT_MS);
  if (!loaded.ok) {
    if (loaded.problem === 'no-definition') fail(`entry ${m.entry} ${loaded.message}; export the result of a define helper (defineStrategy, …)`);
    else fail(`entry ${m.entry} ${loaded.problem === 'timed-out' ? loaded.message : `failed to import: ${loaded.message}`}`);
    return done();
  }
  const definition = loaded.definition;
  if (definition.kind !== m.kind) fail(`entry defines a ${definition.kind} plugin but the manifest says ${m.kind}`);
  else pass(`entry exports a ${m.kind} definition (built against plugin API ${definition.apiVersion})`);
  if (!isConfigSchema(definition.configSchema)) {
    fail('configSchema is not a Standard Schema validator');
    return done();
  }
  let defaults: Awaited<ReturnType<typeof validateConfig>>;
  try {
    defaults = await validateConfig(definition.configSchema, {});
  } catch (error) {
    fail(`configSchema threw when given an empty config: ${error instanceof Error ? error.message : String(error)}`);
    return done();
  }
  pass(`config schema (${definition.configSchema['~standard'].vendor})${defaults.ok ? ': an empty config is valid, every field has a default' : `: a config must set ${defaults.problems.map((p) => p.path).join(', ')}`}`);
  return done();
}
