import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { PLUGIN_API_VERSION } from '@trading-orchestrator/plugin-api';
import { parseArguments, type OptionValues } from './cli/arguments.js';
import { describeError } from './cli/describe-error.js';
import { discover } from './cli/discover.js';
import type { Io } from './cli/io.js';
import { USAGE } from './cli/usage.js';
import { writeStarterRun } from './commands/init.js';
import { downloadHistory } from './commands/data-download.js';
import { exportRun, JOURNAL_PACKAGE, loadJournalModule, renderRuns, type ExportWhat } from './commands/journal-commands.js';
import { pluginInfo } from './commands/plugin-info.js';
import { validatePluginFolder } from './commands/plugin-validate.js';
import { renderPluginList } from './commands/plugins-list.js';
import { runCommand } from './commands/run-command.js';
import { listenForInterrupts } from './cli/interrupts.js';
import { loadRunConfig } from './config/load-config.js';
import { RUNNER_VERSION } from './version.js';

export type { Io } from './cli/io.js';

/** Runs one CLI invocation and returns the exit code. Every failure is a message with its fix, never a stack trace. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const parsed = parseArguments(argv);
  if (!parsed.ok) {
    io.stderr.write(`error: ${parsed.message}\n  (trading-orchestrator --help lists the commands and options)\n`);
    return 2;
  }
  const { values, positionals, command } = parsed;
  if (values.version === true) {
    io.stdout.write(`trading-orchestrator ${RUNNER_VERSION} (plugin API ${PLUGIN_API_VERSION})\n`);
    return 0;
  }
  if (values.help === true || command === undefined) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    return await dispatch(command, positionals, values, io);
  } catch (error) {
    io.stderr.write(`error: ${describeError(error, io.env)}\n`);
    return 1;
  }
}

async function dispatch(command: NonNullable<Extract<ReturnType<typeof parseArguments>, { ok: true }>['command']>, positionals: readonly string[], values: OptionValues, io: Io): Promise<number> {
  switch (command) {
    case 'init': {
      const { catalog } = await discover(values, io);
      const written = writeStarterRun(resolve(io.cwd, positionals[0] ?? 'run.yaml'), values.force === true, catalog);
      (written.ok ? io.stdout : io.stderr).write(`${written.ok ? '' : 'error: '}${written.message}\n`);
      return written.ok ? 0 : 1;
    }
    case 'optimize':
      // Loaded on demand: the search and its report are not on a backtest's way to its first bar.
      return (await import('./commands/optimize-command.js')).optimizeCommand(values, io);
    case 'ctl':
      return (await import('./commands/ctl-command.js')).ctlCommand(positionals, values, io);
    case 'worker':
      return (await import('./commands/worker-command.js')).workerCommand(values, io);
    case 'check-strategy':
      return (await import('./commands/check-strategy.js')).checkStrategyCommand(values, io);
    case 'journal list':
    case 'journal export':
      return journalCommand(command, positionals, values, io);
    case 'compare':
      return (await import('./commands/compare-command.js')).compareCommand(values, io);
    case 'plugins validate': {
      if (positionals[0] === undefined) {
        io.stderr.write('error: plugins validate needs a folder, e.g. trading-orchestrator plugins validate ./my-plugin\n');
        return 2;
      }
      const report = await validatePluginFolder(resolve(io.cwd, positionals[0]));
      (report.ok ? io.stdout : io.stderr).write(`${report.lines.join('\n')}\n`);
      return report.ok ? 0 : 1;
    }
    case 'plugins info': {
      if (positionals[0] === undefined) {
        io.stderr.write('error: plugins info needs a plugin id, e.g. trading-orchestrator plugins info ma-crossover\n');
        return 2;
      }
      const { catalog } = await discover(values, io);
      const info = await pluginInfo(catalog, positionals[0]);
      if (values.json === true && info.json !== undefined) io.stdout.write(`${JSON.stringify(info.json, null, 2)}\n`);
      else (info.ok ? io.stdout : io.stderr).write(`${info.ok ? '' : 'error: '}${info.text}\n`);
      return info.ok ? 0 : 1;
    }
    case 'plugins list': {
      const { catalog, projectDir } = await discover(values, io);
      io.stdout.write(values.json === true ? `${JSON.stringify(catalog, null, 2)}\n` : `${renderPluginList(catalog, projectDir)}\n`);
      return 0;
    }
    case 'backtest':
    case 'paper':
    case 'live':
    case 'run':
      return runCommand(command, values, io);
    case 'data download': {
      if (values.config === undefined) {
        io.stderr.write('error: data download needs --config <file>: the run file whose history to download\n');
        return 2;
      }
      const { catalog } = await discover(values, io);
      const file = resolve(io.cwd, values.config);
      const config = await loadRunConfig(file, io.env, catalog);
      const interrupts = listenForInterrupts((line) => io.stderr.write(`\n${line}\n`), () => undefined);
      try {
        await downloadHistory(config, catalog, file, interrupts.signal, (line) => io.stdout.write(`${line}\n`));
      } finally {
        interrupts.dispose();
      }
      return 0;
    }
  }
}

/** Runs one of the journal commands; a file the journal cannot read is a message, and it is left as it was. */
async function journalCommand(command: 'journal list' | 'journal export', args: readonly string[], values: OptionValues, io: Io): Promise<number> {
  const module = await loadJournalModule();
  if (module === undefined) {
    io.stderr.write(`error: journal commands need ${JOURNAL_PACKAGE}, which is not installed\n  fix: npm install ${JOURNAL_PACKAGE}\n`);
    return 1;
  }
  const path = resolve(io.cwd, values.journal ?? 'trading-orchestrator.db');
  if (!existsSync(path)) {
    io.stderr.write(`error: no journal at ${path}\n  fix: run a backtest first, or name the journal with --journal <file>\n`);
    return 1;
  }
  if (command === 'journal export') {
    const problem = exportProblem(args, values);
    if (problem !== undefined) {
      io.stderr.write(`error: ${problem}\n  usage: trading-orchestrator journal export <run id> [--what trades|equity|ignored|problems|trials] [--strategy <id>] [--format csv|json]\n`);
      return 2;
    }
  }
  const journal = module.Journal.open(path);
  try {
    if (command === 'journal list') {
      io.stdout.write(values.json === true ? `${JSON.stringify(journal.listRuns(), null, 2)}\n` : `${renderRuns(journal)}\n`);
      return 0;
    }
    const out = exportRun(journal, module.toCsv, Number(args[0]), (values.what ?? 'trades') as ExportWhat, (values.format ?? 'csv') as 'csv' | 'json', values.strategy);
    (out.ok ? io.stdout : io.stderr).write(out.ok ? out.text : `error: ${out.text}\n`);
    return out.ok ? 0 : 1;
  } catch (error) {
    // SQLite reads pages as they are asked for: damage past the first page shows up here, not at open.
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('SQLITE_')) {
      io.stderr.write(`error: the journal ${path} could not be read (${(error as Error).message}); it was left as it was\n  fix: keep a copy; \`sqlite3 ${path} .recover\` may save its runs\n`);
      return 1;
    }
    throw error;
  } finally {
    journal.close();
  }
}

function exportProblem(args: readonly string[], values: OptionValues): string | undefined {
  if (args[0] === undefined) return 'journal export needs a run id (journal list shows them)';
  if (!/^[1-9]\d*$/.test(args[0])) return `the run id is a whole number (journal list shows them), got "${args[0]}"`;
  if (args.length > 1) return `journal export takes one run id, got "${args.join(' ')}"`;
  if (values.what !== undefined && !['trades', 'equity', 'ignored', 'problems', 'trials'].includes(values.what)) return `--what is trades, equity, ignored, problems or trials, got "${values.what}"`;
  if (values.format !== undefined && !['csv', 'json'].includes(values.format)) return `--format is csv or json, got "${values.format}"`;
  return undefined;
}
