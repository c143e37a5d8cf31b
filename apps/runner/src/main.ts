import { parseArgs } from 'node:util';
import { PLUGIN_API_VERSION } from '@trading-orchestrator/plugin-api';
import { discoverPlugins, nearestNames } from '@trading-orchestrator/registry';
import { renderPluginList } from './commands/plugins-list.js';
import { discoveryCacheFile, findProjectDir, runnerPackageDir } from './project.js';
import { RUNNER_VERSION } from './version.js';

export interface Io {
  readonly cwd: string;
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  readonly env: Readonly<Record<string, string | undefined>>;
}

const USAGE = `Usage: trading-orchestrator [command] [options]

Commands:
  plugins list        list the plugins discovered for this project (the default)

Discovery options:
  --project <dir>       the project whose dependencies are searched (default: nearest package.json)
  --plugin-path <dir>   a plugin package folder to include (repeatable)
  --plugin-dir <dir>    a folder that holds plugin packages (repeatable)
  --no-cache            ignore and do not write the discovery cache
  --json                print machine-readable JSON

Environment:
  TRADING_ORCHESTRATOR_PLUGINS   extra plugin package folders, separated like PATH

  -h, --help      show this help
  -v, --version   show versions`;

const COMMANDS = ['plugins list'];

/** Runs one CLI invocation and returns the exit code. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        project: { type: 'string' },
        'plugin-path': { type: 'string', multiple: true },
        'plugin-dir': { type: 'string', multiple: true },
        'no-cache': { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (error) {
    io.stderr.write(`error: ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help === true) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (values.version === true) {
    io.stdout.write(`trading-orchestrator ${RUNNER_VERSION} (plugin API ${PLUGIN_API_VERSION})\n`);
    return 0;
  }
  const command = positionals.length === 0 ? 'plugins list' : positionals.join(' ');
  if (command !== 'plugins list' && command !== 'plugins') {
    const suggestions = nearestNames(command, COMMANDS);
    const hint = suggestions.length > 0 ? ` Did you mean "${suggestions.join('" or "')}"?` : '';
    io.stderr.write(`error: unknown command "${command}".${hint}\n\n${USAGE}\n`);
    return 2;
  }

  const projectDir = findProjectDir(values.project ?? io.cwd);
  const catalog = await discoverPlugins({
    projectDir,
    runnerDir: runnerPackageDir(),
    pluginPaths: values['plugin-path'] ?? [],
    pluginFolders: values['plugin-dir'] ?? [],
    env: io.env,
    cacheFile: values['no-cache'] === true ? false : discoveryCacheFile(projectDir),
  });
  io.stdout.write(values.json === true ? `${JSON.stringify(catalog, null, 2)}\n` : `${renderPluginList(catalog, projectDir)}\n`);
  return 0;
}
