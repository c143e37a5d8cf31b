import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isConfigSchema, isPluginDefinition, PLUGIN_API_VERSION, readManifestField, validateConfig, validateManifest, MANIFEST_PATH } from '@trading-orchestrator/plugin-api';
import { checkApiCompatibility } from '@trading-orchestrator/registry';

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
  pass(`entry ${m.entry} exists`);
  if (!compat.compatible) {
    lines.push('  skip  the entry is not imported: this host would not load a plugin made for another plugin API');
    return done();
  }
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(entry).href)) as Record<string, unknown>;
  } catch (error) {
    fail(`entry ${m.entry} failed to import: ${(error as Error).message}`);
    return done();
  }
  const definition = module.default ?? module.plugin;
  if (!isPluginDefinition(definition)) {
    fail(`entry ${m.entry} exports no plugin definition as "default" or "plugin"; export the result of a define helper (defineStrategy, …)`);
    return done();
  }
  if (definition.kind !== m.kind) fail(`entry defines a ${definition.kind} plugin but the manifest says ${m.kind}`);
  else pass(`entry exports a ${m.kind} definition (built against plugin API ${definition.apiVersion})`);
  if (!isConfigSchema(definition.configSchema)) {
    fail('configSchema is not a Standard Schema validator');
    return done();
  }
  const defaults = await validateConfig(definition.configSchema, {});
  pass(`config schema (${definition.configSchema['~standard'].vendor})${defaults.ok ? ': an empty config is valid, every field has a default' : `: a config must set ${defaults.problems.map((p) => p.path).join(', ')}`}`);
  return done();
}
