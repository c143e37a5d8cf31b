import { existsSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { EventBus } from '@trading-orchestrator/core-manager';
import { isPluginError, PLUGIN_API_VERSION } from '@trading-orchestrator/plugin-api';
import { renderHtmlReport } from '@trading-orchestrator/report';
import { discoverPlugins, nearestNames } from '@trading-orchestrator/registry';
import { MissingPluginsError, runDefaultBacktest } from './commands/default-backtest.js';
import { runBacktest } from './commands/run-backtest.js';
import { describeResume, runPaper, type PaperCheckpoint, type PaperHooks } from './commands/run-paper.js';
import { loadRunConfig } from './config/load-config.js';
import { DEFAULT_JOURNAL, DEFAULT_REPORT, outputFile } from './config/output-files.js';
import { writeStarterRun } from './commands/init.js';
import { exportRun, JOURNAL_PACKAGE, loadJournalModule, renderRuns } from './commands/journal-commands.js';
import { pluginInfo } from './commands/plugin-info.js';
import { validatePluginFolder } from './commands/plugin-validate.js';
import { renderPluginList } from './commands/plugins-list.js';
import { renderBacktest } from './commands/render-backtest.js';
import { Progress, type RunSpan } from './format/progress.js';
import { discoveryCacheFile, findProjectDir, runnerPackageDir } from './project.js';
import { RUNNER_VERSION } from './version.js';

export interface Io {
  readonly cwd: string;
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
}

const USAGE = `Usage: trading-orchestrator [command] [options]

Commands:
  backtest            with --config <file>: the backtest the YAML or JSON file describes; without: the default
                      job, an offline backtest of the reference strategies (ma-crossover, rsi-mean-reversion,
                      bollinger-reversion) with risk-guards and risk-var on data-synthetic and the paper broker
  paper --config <file>  a paper session (mode: paper): warm-up on recent history, then the data plugin's live
                      closed bars through the same engine and paper broker, until Ctrl-C or --bars
  run --config <file>    backtest or paper, as the file's mode says
  plugins list        list the plugins discovered for this project
  plugins info <id>   a plugin's package, status and config schema with defaults
  plugins validate <dir>  check a plugin folder the way discovery and loading will; every problem listed
  init [file]         write a commented starter run file (default run.yaml; --force to overwrite)
  journal list        the runs in the journal
  journal export <run> [--what trades|equity|ignored] [--strategy <id>] [--format csv|json]
                      ignored: the signals the engine did not act on, each with its reason

Run options:
  --config <file>       a run config (YAML or JSON, \${ENV_VAR} and \${ENV_VAR:-default} are replaced)
  --journal <file>      the SQLite journal (default trading-orchestrator.db; needs @trading-orchestrator/journal)
  --no-journal          keep no journal
  --report <file>       the HTML report (default trading-orchestrator-report.html)
  --no-report           write no report
  --bars <n>            paper: end the session after n live closed bars
  --new-session         paper: start a new session even if the journal holds an unfinished one for this config
                        (it is marked interrupted and kept); without it, that session is resumed

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

const COMMANDS = ['backtest', 'paper', 'run', 'plugins list', 'plugins info', 'plugins validate', 'init', 'journal list', 'journal export'];

/** Runs one CLI invocation and returns the exit code. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        project: { type: 'string' },
        config: { type: 'string', short: 'c' },
        'plugin-path': { type: 'string', multiple: true },
        'plugin-dir': { type: 'string', multiple: true },
        'no-cache': { type: 'boolean' },
        json: { type: 'boolean' },
        force: { type: 'boolean' },
        journal: { type: 'string' },
        'no-journal': { type: 'boolean' },
        report: { type: 'string' },
        'no-report': { type: 'boolean' },
        bars: { type: 'string' },
        'new-session': { type: 'boolean' },
        what: { type: 'string' },
        strategy: { type: 'string' },
        format: { type: 'string' },
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
  const command = positionals.length === 0 ? 'backtest' : positionals[0] === 'plugins' && positionals[1] === 'info' ? 'plugins info' : positionals[0] === 'init' ? 'init' : positionals.join(' ');
  if (command === 'init') {
    const written = writeStarterRun(resolve(io.cwd, positionals[1] ?? 'run.yaml'), values.force === true);
    (written.ok ? io.stdout : io.stderr).write(`${written.ok ? '' : 'error: '}${written.message}\n`);
    return written.ok ? 0 : 1;
  }
  if (positionals[0] === 'journal') return journalCommand(positionals.slice(1), values, io);
  if (positionals[0] === 'plugins' && positionals[1] === 'validate') {
    if (positionals[2] === undefined) {
      io.stderr.write('error: plugins validate needs a folder, e.g. trading-orchestrator plugins validate ./my-plugin\n');
      return 2;
    }
    const report = await validatePluginFolder(resolve(io.cwd, positionals[2]));
    (report.ok ? io.stdout : io.stderr).write(`${report.lines.join('\n')}\n`);
    return report.ok ? 0 : 1;
  }
  if (command === 'plugins info' && positionals[2] === undefined) {
    io.stderr.write('error: plugins info needs a plugin id, e.g. trading-orchestrator plugins info ma-crossover\n');
    return 2;
  }
  if (command !== 'plugins list' && command !== 'plugins' && command !== 'backtest' && command !== 'paper' && command !== 'run' && command !== 'plugins info') {
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
  if (command === 'plugins info') {
    const info = await pluginInfo(catalog, positionals[2]!);
    if (values.json === true && info.json !== undefined) io.stdout.write(`${JSON.stringify(info.json, null, 2)}\n`);
    else (info.ok ? io.stdout : io.stderr).write(`${info.ok ? '' : 'error: '}${info.text}\n`);
    return info.ok ? 0 : 1;
  }
  if (command === 'backtest' || command === 'paper' || command === 'run') {
    const usable = catalog.byStatus('compatible').length;
    // With --json, stdout carries the result alone.
    (values.json === true ? io.stderr : io.stdout).write(`${usable} usable plugin${usable === 1 ? '' : 's'} found for ${projectDir} (trading-orchestrator plugins list shows them)\n`);
    try {
      const configFile = values.config === undefined ? undefined : resolve(io.cwd, values.config);
      if (configFile === undefined && command !== 'backtest') {
        io.stderr.write(`error: ${command} needs --config <file>\n  fix: trading-orchestrator init writes a starter config; set mode: paper in it for a paper session\n`);
        return 2;
      }
      const config = configFile === undefined ? undefined : await loadRunConfig(configFile, io.env);
      const mode = config?.mode ?? 'backtest';
      if (command !== 'run' && config !== undefined && config.mode !== command) {
        io.stderr.write(`error: ${values.config} describes a ${config.mode} run, not a ${command}\n  fix: run it with \`trading-orchestrator ${config.mode}\` (or \`run\`), or set mode: ${command} in it\n`);
        return 2;
      }
      if (values['new-session'] === true && mode !== 'paper') {
        io.stderr.write(`error: --new-session applies to paper sessions, and this is a ${mode}\n  fix: leave it out; a backtest always starts a new run\n`);
        return 2;
      }
      const maxBars = values.bars === undefined ? undefined : Number(values.bars);
      if (maxBars !== undefined && !(Number.isInteger(maxBars) && maxBars > 0)) {
        io.stderr.write(`error: --bars must be a whole number above 0, got "${values.bars}"\n`);
        return 2;
      }
      const journalFile = outputFile({ path: values.journal, none: values['no-journal'] === true }, config?.journal, configFile, io.cwd, DEFAULT_JOURNAL);
      const reportFile = outputFile({ path: values.report, none: values['no-report'] === true }, config?.report, configFile, io.cwd, DEFAULT_REPORT);
      if (reportFile.file !== undefined && !existsSync(dirname(reportFile.file))) {
        const asked = reportFile.named === 'option' ? '--report' : reportFile.named === 'config' ? `report in ${values.config}` : 'the report';
        io.stderr.write(`error: ${asked} would write ${reportFile.file}, but the folder ${dirname(reportFile.file)} does not exist\n  fix: create the folder, name another file, or write no report (--no-report)\n`);
        return 1;
      }
      const journalModule = journalFile.file === undefined ? undefined : await loadJournalModule();
      if (journalFile.file !== undefined && journalFile.named !== 'default' && journalModule === undefined) {
        const asked = journalFile.named === 'option' ? '--journal' : `journal in ${values.config}`;
        io.stderr.write(`error: ${asked} needs ${JOURNAL_PACKAGE}, which is not installed\n  fix: npm install ${JOURNAL_PACKAGE}, or keep no journal (--no-journal)\n`);
        return 1;
      }
      const journal = journalFile.file === undefined ? undefined : journalModule?.Journal.open(journalFile.file);
      // A journal that cannot be written fails here, before any plugin starts.
      await journal?.ready();
      let runId = 0;
      let resumeFrom: PaperHooks['resumeFrom'];
      if (mode === 'paper' && journal !== undefined && configFile !== undefined) {
        const unfinished = journal.unfinishedRun(configFile, 'paper');
        const checkpoint = unfinished === undefined ? undefined : journal.latestCheckpoint(unfinished.id);
        if (unfinished !== undefined && checkpoint === undefined) {
          journal.finishRun(unfinished.id, { status: 'failed', endedAt: Date.now(), summary: { error: 'the process ended before its first checkpoint; nothing to resume' } });
        } else if (unfinished !== undefined && values['new-session'] === true) {
          journal.finishRun(unfinished.id, { status: 'interrupted', endedAt: Date.now(), summary: { note: 'set aside by --new-session', checkpoint: checkpoint!.time } });
          io.stderr.write(`paper run ${unfinished.id} was left unfinished; it is kept as interrupted and a new session starts (--new-session)\n`);
        } else if (unfinished !== undefined && checkpoint !== undefined) {
          runId = unfinished.id;
          journal.resumeRun(runId);
          resumeFrom = { time: checkpoint.time, state: checkpoint.state as PaperCheckpoint };
          io.stderr.write(`${describeResume(runId, resumeFrom.time, resumeFrom.state)} (--new-session starts over instead)\n`);
        }
      }
      let progress: Progress | undefined;
      const interrupt = new AbortController();
      const onSigint = () => interrupt.abort();
      process.once('SIGINT', onSigint);
      const hooks = {
        signal: interrupt.signal,
        onSpan: (span: RunSpan) => {
          if (values.json !== true) progress = new Progress(io.stderr, span, io.stderr.isTTY === true);
        },
        attach: (bus: EventBus) => {
          let done = 0;
          const offProgress = bus.subscribe('bar', (bar) => progress?.update(++done, bar.time));
          if (journal === undefined) return offProgress;
          if (runId === 0) runId = journal.startRun({ label: configFile ?? 'default', mode, config: config ?? 'default', startedAt: Date.now() });
          const detachJournal = journal.attach(bus, runId);
          return () => {
            offProgress();
            detachJournal();
          };
        },
      };
      let run;
      try {
        if (config === undefined) run = await runDefaultBacktest(catalog, hooks);
        else if (mode === 'paper') {
          run = await runPaper(config, catalog, configFile, {
            ...hooks,
            ...(maxBars === undefined ? {} : { maxBars }),
            ...(resumeFrom === undefined ? {} : { resumeFrom }),
            ...(journal === undefined ? {} : { checkpoint: (time: number, state: PaperCheckpoint) => journal.checkpoint(runId, time, state) }),
            onLateBar: (bar, latest) =>
              io.stderr.write(
                `warning: the ${bar.symbol} bar of ${new Date(bar.time).toISOString()} closed after a bar of ${new Date(latest).toISOString()} was traded on; it is left out to keep time order (the data feed delivered it late)\n`,
              ),
            onLive: ({ warmupBars, from }) => io.stderr.write(`live from ${new Date(from).toISOString()} after ${warmupBars} warm-up bars; trading on closed ${config.timeframe} bars${maxBars === undefined ? ' until Ctrl-C' : ` for ${maxBars} bars`}\n`),
          });
        } else run = await runBacktest(config, catalog, configFile, hooks);
        progress?.done();
        if (journal !== undefined && runId > 0) {
          journal.finishRun(runId, { status: run.result.interrupted ? 'interrupted' : 'finished', endedAt: Date.now(), summary: { equity: run.result.portfolio.equity, bars: run.result.bars } });
        }
      } catch (error) {
        if (journal !== undefined && runId > 0) journal.finishRun(runId, { status: 'failed', endedAt: Date.now(), summary: { error: String(error) } });
        throw error;
      } finally {
        process.removeListener('SIGINT', onSigint);
        journal?.close();
      }
      if (values.json === true) {
        io.stdout.write(`${JSON.stringify(run.result, null, 2)}\n`);
        return 0;
      }
      const seconds = run.elapsedMs / 1000;
      const c = run.config;
      const title =
        mode === 'paper'
          ? `Paper session: ${c.symbols.join(', ')} ${c.timeframe} (${c.data.plugin}), ${run.result.bars} bars (${c.warmupBars} warm-up requested) in ${seconds.toFixed(2)} s`
          : `Backtest: ${c.symbols.join(', ')} ${c.timeframe} from ${c.start} to ${c.end} (${c.data.plugin}), ${run.result.bars} bars in ${seconds.toFixed(2)} s (${Math.round(run.result.bars / seconds)} bars/s)`;
      if (run.result.interrupted) io.stdout.write(`interrupted after ${run.result.bars} bars (Ctrl-C); the plugins were stopped and the journal flushed. Summary so far:\n`);
      io.stdout.write(`${renderBacktest(run.result, title)}\n`);
      if (reportFile.file !== undefined) {
        // The report holds what the run computed, not how long it took, so two runs of one config give the same file.
        const scope = mode === 'paper' ? `${c.symbols.join(', ')} ${c.timeframe} (${c.data.plugin}), ${run.result.bars} bars` : `${c.symbols.join(', ')} ${c.timeframe} from ${c.start} to ${c.end} (${c.data.plugin}), ${run.result.bars} bars`;
        writeFileSync(reportFile.file, renderHtmlReport(run.result, { title: `${mode === 'paper' ? 'Paper session' : 'Backtest'} ${c.symbols.join(', ')} ${c.timeframe}`, details: [scope, `strategies: ${c.strategies.map((x) => x.id ?? x.plugin).join(', ')}; risk: ${c.risk.map((x) => x.id ?? x.plugin).join(', ') || 'none'}`, `capital ${c.capital} ${c.currency}`] }));
        io.stdout.write(`report: ${reportFile.file}\n`);
      }
      if (run.result.interrupted) {
        io.stdout.write(journal === undefined ? '' : `journal: ${journal.path} (run ${runId}, interrupted)\n`);
        return 130;
      }
      io.stdout.write(journal === undefined ? `journal: none (${journalFile.named === 'option' ? '--no-journal' : journalFile.named === 'config' ? `journal: false in ${values.config}` : `npm install ${JOURNAL_PACKAGE} to keep one`})\n` : `journal: ${journal.path} (run ${runId}); trading-orchestrator journal export ${runId} --journal ${journal.path}\n`);
      return 0;
    } catch (error) {
      const fix = (error as { fix?: unknown } | null)?.fix;
      const message =
        error instanceof MissingPluginsError ? error.message : isPluginError(error) ? error.describe() : typeof fix === 'string' ? `${(error as Error).message}\n  fix: ${fix}` : String((error as Error).stack ?? error);
      io.stderr.write(`error: ${message}\n`);
      return 1;
    }
  }
  io.stdout.write(values.json === true ? `${JSON.stringify(catalog, null, 2)}\n` : `${renderPluginList(catalog, projectDir)}\n`);
  return 0;
}

type Values = { journal?: string | undefined; what?: string | undefined; strategy?: string | undefined; format?: string | undefined; json?: boolean | undefined };

async function journalCommand(args: readonly string[], values: Values, io: Io): Promise<number> {
  const module = await loadJournalModule();
  if (module === undefined) {
    io.stderr.write(`error: journal commands need ${JOURNAL_PACKAGE}, which is not installed\n  fix: npm install ${JOURNAL_PACKAGE}\n`);
    return 1;
  }
  const path = resolve(io.cwd, values.journal ?? 'trading-orchestrator.db');
  if (!existsSync(path)) {
    io.stderr.write(`error: no journal at ${path}; run a backtest first or pass --journal <file>\n`);
    return 1;
  }
  const journal = module.Journal.open(path);
  try {
    if (args[0] === 'list' || args.length === 0) {
      io.stdout.write(values.json === true ? `${JSON.stringify(journal.listRuns(), null, 2)}\n` : `${renderRuns(journal)}\n`);
      return 0;
    }
    if (args[0] === 'export') {
      const runId = Number(args[1]);
      const what = values.what ?? 'trades';
      const format = values.format ?? 'csv';
      if (!Number.isInteger(runId) || (what !== 'trades' && what !== 'equity' && what !== 'ignored') || (format !== 'csv' && format !== 'json')) {
        io.stderr.write('error: usage: trading-orchestrator journal export <run id> [--what trades|equity|ignored] [--strategy <id>] [--format csv|json]\n');
        return 2;
      }
      const out = exportRun(journal, module.toCsv, runId, what, format, values.strategy);
      (out.ok ? io.stdout : io.stderr).write(out.ok ? out.text : `error: ${out.text}\n`);
      return out.ok ? 0 : 1;
    }
    io.stderr.write(`error: unknown journal command "${args.join(' ')}"; use journal list or journal export <run>\n`);
    return 2;
  } finally {
    journal.close();
  }
}
