import { DependencyFailedError } from '@trading-orchestrator/plugin-api';
import semver from 'semver';
import type { ManagedPlugin } from './managed-plugin.js';

/** Instance ids the plugin's manifest dependencies resolve to among `plugins`. */
export function dependencyIds(p: ManagedPlugin, plugins: Iterable<ManagedPlugin>): string[] {
  const wanted = Object.keys(p.spec.plugin.manifest?.dependencies ?? {});
  return [...plugins].filter((other) => other !== p && wanted.includes(other.spec.plugin.manifest?.id ?? other.spec.plugin.id)).map((o) => o.id);
}

/** Why the plugin cannot start yet: a dependency not configured, of a version out of range, or not active. */
export function unmetDependency(p: ManagedPlugin, plugins: Iterable<ManagedPlugin>): DependencyFailedError | undefined {
  const all = [...plugins];
  for (const [depId, range] of Object.entries(p.spec.plugin.manifest?.dependencies ?? {})) {
    const providers = all.filter((o) => o !== p && (o.spec.plugin.manifest?.id ?? o.spec.plugin.id) === depId);
    const base = { pluginId: p.id, dependency: depId };
    if (providers.length === 0) {
      return new DependencyFailedError(`plugin "${p.id}" cannot start: it depends on plugin "${depId}", which is not configured`, {
        ...base,
        hint: `install and configure "${depId}" (${range}), or remove plugin "${p.id}"`,
      });
    }
    const provider = providers.find((o) => semver.satisfies(o.spec.plugin.version, range, { includePrerelease: true }));
    if (provider === undefined) {
      const versions = providers.map((o) => o.spec.plugin.version).join(', ');
      return new DependencyFailedError(`plugin "${p.id}" cannot start: it needs "${depId}" ${range}, but ${versions} is installed`, {
        ...base,
        hint: `install a version of "${depId}" matching ${range}`,
      });
    }
    if (provider.machine.state !== 'active') {
      const cause = provider.failure?.message ?? `it is ${provider.machine.state}`;
      return new DependencyFailedError(`plugin "${p.id}" cannot start: its dependency "${provider.id}" failed: ${cause}`, {
        ...base,
        hint: `fix plugin "${provider.id}" first`,
      });
    }
  }
  return undefined;
}
