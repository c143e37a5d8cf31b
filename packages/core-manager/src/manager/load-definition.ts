import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LoadFailedError, type PluginDefinition, type PluginKind } from '@trading-orchestrator/plugin-api';
import { importEntry } from './import-entry.js';
import type { LoadablePlugin } from './plugin-spec.js';

const DEFINE_HELPER: Readonly<Record<PluginKind, string>> = {
  strategy: 'defineStrategy',
  data: 'defineDataProvider',
  risk: 'defineRiskManager',
  indicator: 'defineIndicator',
  broker: 'defineBroker',
  notifier: 'defineNotifier',
  panel: '',
};

/**
 * Imports a plugin's entry and returns its definition. `generation` > 0 adds a query to the URL so a reload
 * gets fresh code: ESM caches modules by URL and never evicts them, so each reload keeps the old module in
 * memory for the life of the process (see docs/architecture.md).
 */
export async function loadDefinition(plugin: LoadablePlugin, instanceId: string, generation: number): Promise<PluginDefinition> {
  const manifest = plugin.manifest;
  if (plugin.definition !== undefined) {
    if (manifest !== undefined && plugin.definition.kind !== manifest.kind) {
      throw new LoadFailedError(`plugin "${instanceId}": the manifest says kind "${manifest.kind}" but the code defines a "${plugin.definition.kind}" plugin`, {
        pluginId: instanceId,
        hint: 'make "kind" in the manifest match the define helper used',
      });
    }
    return plugin.definition;
  }
  if (manifest === undefined) {
    throw new LoadFailedError(`plugin "${instanceId}" has no valid manifest and cannot be loaded`, {
      pluginId: instanceId,
      path: join(plugin.packageDir, 'package.json'),
      hint: 'run `trading-orchestrator plugins list` to see what is wrong with its manifest',
    });
  }
  const file = join(plugin.packageDir, manifest.entry);
  if (manifest.kind === 'panel') {
    throw new LoadFailedError(`plugin "${instanceId}" is a panel: its entry runs in the dashboard, not in the session`, {
      pluginId: instanceId,
      path: file,
      hint: 'panels are not listed in the run config; the dashboard of a paper or live session shows every installed panel',
    });
  }
  const url = pathToFileURL(file).href + (generation > 0 ? `?generation=${generation}` : '');
  const loaded = await importEntry(url);
  if (!loaded.ok) {
    throw new LoadFailedError(
      loaded.problem === 'no-definition'
        ? `plugin "${instanceId}": ${manifest.entry} ${loaded.message}`
        : `plugin "${instanceId}" (${plugin.packageName}@${plugin.version}) failed to import ${manifest.entry}: ${loaded.message}`,
      {
        pluginId: instanceId,
        path: file,
        ...(loaded.problem === 'no-definition' ? { hint: `export the result of ${DEFINE_HELPER[manifest.kind]}(...) as the module's default export` } : {}),
      },
    );
  }
  const definition = loaded.definition;
  if (definition.kind !== manifest.kind) {
    throw new LoadFailedError(`plugin "${instanceId}": the manifest says kind "${manifest.kind}" but the code defines a "${definition.kind}" plugin`, {
      pluginId: instanceId,
      path: file,
      hint: 'make "kind" in the manifest match the define helper the entry uses',
    });
  }
  return definition;
}
