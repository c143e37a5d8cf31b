import { discoverPlugins, type PluginCatalog } from '@trading-orchestrator/registry';
import { discoveryCacheFile, findProjectDir, runnerPackageDir } from '../project.js';
import type { OptionValues } from './arguments.js';
import type { Io } from './io.js';

/** The plugins this invocation can use: the project's dependencies, the named folders and the environment's. */
export async function discover(values: OptionValues, io: Io): Promise<{ readonly projectDir: string; readonly catalog: PluginCatalog }> {
  const projectDir = findProjectDir(values.project ?? io.cwd);
  const catalog = await discoverPlugins({
    projectDir,
    runnerDir: runnerPackageDir(),
    pluginPaths: values['plugin-path'] ?? [],
    pluginFolders: values['plugin-dir'] ?? [],
    env: io.env,
    cacheFile: values['no-cache'] === true ? false : discoveryCacheFile(projectDir),
  });
  return { projectDir, catalog };
}
