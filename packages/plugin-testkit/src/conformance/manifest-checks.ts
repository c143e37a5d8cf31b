import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readManifestField, validateManifest, validateConfig, type ConfigSchema, type PluginKind } from '@trading-orchestrator/plugin-api';
import { expect, it } from 'vitest';

export interface InvalidConfigCase {
  readonly config: unknown;
  /** Every path the validation must report, e.g. `["slow"]`. */
  readonly paths: readonly string[];
  /** Optional text the first message must contain. */
  readonly message?: string | RegExp;
}

function pathOf(packageJson: string | URL): string {
  return typeof packageJson === 'string' ? packageJson : fileURLToPath(packageJson);
}

/** Shared checks of every kind's suite: the manifest, and config validation by path. */
export function manifestAndConfigChecks(options: {
  readonly kind: PluginKind;
  readonly packageJson: string | URL;
  readonly configSchema: ConfigSchema;
  readonly definitionKind: string;
  readonly validConfig: unknown;
  readonly invalidConfigs: readonly InvalidConfigCase[];
}): void {
  it('has a valid manifest of the right kind whose entry exists', () => {
    const file = pathOf(options.packageJson);
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const result = validateManifest(readManifestField(pkg));
    expect(result.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.manifest.kind).toBe(options.kind);
    expect(options.definitionKind).toBe(options.kind);
    expect(existsSync(join(dirname(file), result.manifest.entry)), `entry ${result.manifest.entry} exists (build the package first)`).toBe(true);
    const peer = (pkg.peerDependencies as Record<string, string> | undefined)?.['@trading-orchestrator/plugin-api'];
    expect(peer, 'plugin-api is a peer dependency with the manifest api range').toBe(result.manifest.api);
  });

  it('accepts the valid config', async () => {
    const result = await validateConfig(options.configSchema, options.validConfig);
    expect(result.ok ? [] : result.problems).toEqual([]);
  });

  for (const [i, bad] of options.invalidConfigs.entries()) {
    it(`rejects invalid config #${i + 1} naming ${bad.paths.join(', ')}`, async () => {
      const result = await validateConfig(options.configSchema, bad.config);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.problems.map((p) => p.path)).toEqual(bad.paths);
      if (bad.message !== undefined) expect(result.problems[0]?.message).toMatch(bad.message);
    });
  }
}
