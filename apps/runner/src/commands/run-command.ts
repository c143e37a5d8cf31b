import { resolve } from 'node:path';
import { dataNames } from '../config/data-sources.js';
import type { EventBus, PluginManager, ShadowComparison } from '@trading-orchestrator/core-manager';
import { HALT_RULE_ID, HaltSwitch } from '../control/halt-switch.js';
import { SessionControl } from '../control/session-control.js';
import { SessionHealth } from '../control/session-health.js';
import { NotificationHub } from '../notify/notification-hub.js';
import type { OptionValues } from '../cli/arguments.js';
import { discover } from '../cli/discover.js';
import { markTime } from '../cli/timings.js';
import { listenForInterrupts } from '../cli/interrupts.js';
import type { Io } from '../cli/io.js';
import { loadRunConfig } from '../config/load-config.js';
import { DEFAULT_JOURNAL, DEFAULT_REPORT, outputFile, unwritable, writeOutput, type OutputFile } from '../config/output-files.js';
import { redactSecrets } from '../config/redact-secrets.js';
import { BUILT_IN_BROKER_ID, type RunConfig } from '../config/run-config.js';
import { Progress, type RunSpan } from '../format/progress.js';
import { PaperStatus } from '../format/paper-status.js';
import { PluginTroubles } from '../format/plugin-troubles.js';
import { MemoryGuard } from './memory-guard.js';
import { renderRiskNotes, RiskTally } from '../format/risk-summary.js';
import { ShadowSummary } from '../format/shadow-summary.js';
import { PriceTrail } from '../format/price-trail.js';
import { riskFigures, type RiskFigures } from '../control/risk-figures.js';
import { runDefaultBacktest } from './default-backtest.js';
import { RunInterruptedError } from './interruption.js';
import { JOURNAL_PACKAGE, loadJournalModule } from './journal-commands.js';
import { renderBacktest, type SummaryExtras } from './render-backtest.js';
import { runBacktest, type BacktestOutcome, type RunningSession } from './run-backtest.js';
import { describeResume, runPaper, type PaperCheckpoint, type PaperHooks } from './run-paper.js';

type RunMode = RunConfig['mode'];

/** `backtest`, `paper` and `run`: the run a config file (or the default job) describes, its journal and report. */
export async function runCommand(command: 'backtest' | 'paper' | 'live' | 'run', values: OptionValues, io: Io): Promise<number> {
  const fail = (code: number, message: string, fix?: string) => {
    io.stderr.write(`error: ${message}\n${fix === undefined ? '' : `  fix: ${fix}\n`}`);
    return code;
  };
  markTime('command started');
  const { projectDir, catalog } = await discover(values, io);
  markTime('plugins discovered');
  const usable = catalog.byStatus('compatible').length;
  // With --json, stdout carries the result alone.
  (values.json === true ? io.stderr : io.stdout).write(`${usable} usable plugin${usable === 1 ? '' : 's'} found for ${projectDir} (trading-orchestrator plugins list shows them)\n`);
  const configFile = values.config === undefined ? undefined : resolve(io.cwd, values.config);
  if (configFile === undefined && command !== 'backtest') return fail(2, `${command} needs --config <file>`, 'trading-orchestrator init writes a starter config; set mode: paper in it for a paper session');
  const config = configFile === undefined ? undefined : await loadRunConfig(configFile, io.env, catalog);
  markTime('config read');
  const mode: RunMode = config?.mode ?? 'backtest';
  if (command !== 'run' && config !== undefined && config.mode !== command) {
    return fail(2, `${values.config} describes a ${config.mode} run, not a ${command}`, `run it with \`trading-orchestrator ${config.mode}\` (or \`run\`), or set mode: ${command} in it`);
  }
  // Paper and live sessions run on live bars the same way; only the broker differs.
  const session = mode === 'paper' || mode === 'live';
  if (values['new-session'] === true && !session) return fail(2, `--new-session applies to paper and live sessions, and this is a ${mode}`, 'leave it out; a backtest always starts a new run');
  if (values.bars !== undefined && !session) return fail(2, `--bars applies to paper and live sessions, and this is a ${mode}`, 'leave it out; a backtest runs from start to end in its config, so shorten those to run fewer bars');
  if (mode === 'live' && config !== undefined) {
    if (config.broker.plugin === BUILT_IN_BROKER_ID) return fail(2, `${values.config}: a live session needs a venue broker plugin, and broker is the paper broker`, 'name one, e.g. broker: { plugin: broker-ccxt, config: { apiKey: "${BINANCE_API_KEY}", secret: "${BINANCE_SECRET}", sandbox: true } }; or set mode: paper');
    if (!config.live.confirm && values['confirm-live'] !== true) return fail(2, `${values.config}: a live session places real orders, and nothing says you mean it`, 'add live: { confirm: true } to the run file, or pass --confirm-live');
  }
  const maxBars = values.bars === undefined ? undefined : Number(values.bars);
  if (maxBars !== undefined && !(Number.isInteger(maxBars) && maxBars > 0)) return fail(2, `--bars must be a whole number above 0, got "${values.bars}"`);

  const journalFile = outputFile({ path: values.journal, none: values['no-journal'] === true }, config?.journal, configFile, io.cwd, DEFAULT_JOURNAL);
  const reportFile = outputFile({ path: values.report, none: values['no-report'] === true }, config?.report, configFile, io.cwd, DEFAULT_REPORT);
  // Every output is checked before the run spends its time: a report that cannot be written is found now, not after.
  for (const [output, what, option] of [[journalFile, 'journal', '--journal'], [reportFile, 'report', '--report']] as const) {
    const problem = output.file === undefined ? undefined : unwritable(output.file);
    if (problem !== undefined) return fail(1, `the ${what} would be written to ${output.file}, but ${problem}`, `create the folder or make it writable, name another file (${option} <file>${output.named === 'config' ? `, or ${what}: in ${values.config}` : ''}), or write none (--no-${what})`);
  }
  const journalModule = journalFile.file === undefined ? undefined : await loadJournalModule();
  if (journalFile.file !== undefined && journalFile.named !== 'default' && journalModule === undefined) {
    return fail(1, `${journalFile.named === 'option' ? '--journal' : `journal in ${values.config}`} needs ${JOURNAL_PACKAGE}, which is not installed`, `npm install ${JOURNAL_PACKAGE}, or keep no journal (--no-journal)`);
  }
  const journal = journalFile.file === undefined ? undefined : openJournal(journalModule, journalFile, io);
  let runId = 0;
  const interrupts = listenForInterrupts(
    (line) => io.stderr.write(`\n${line}\n`),
    () => {
      if (journal !== undefined && runId > 0) journal.finishRun(runId, { status: 'interrupted', endedAt: Date.now(), summary: { note: 'stopped by a second Ctrl-C before the run could finish' } });
      journal?.close();
    },
  );
  const memory = new MemoryGuard();
  try {
    // A journal that cannot be written fails here, before any plugin starts.
    await journal?.ready();
    let resumeFrom: PaperHooks['resumeFrom'];
    if (session && journal !== undefined && configFile !== undefined) {
      const unfinished = journal.unfinishedRun(configFile, mode);
      const checkpoint = unfinished === undefined ? undefined : journal.latestCheckpoint(unfinished.id);
      if (unfinished !== undefined && checkpoint === undefined) {
        journal.finishRun(unfinished.id, { status: 'failed', endedAt: Date.now(), summary: { error: 'the process ended before its first checkpoint; nothing to resume' } });
      } else if (unfinished !== undefined && values['new-session'] === true) {
        journal.finishRun(unfinished.id, { status: 'interrupted', endedAt: Date.now(), summary: { note: 'set aside by --new-session', checkpoint: checkpoint!.time } });
        io.stderr.write(`${mode} run ${unfinished.id} was left unfinished; it is kept as interrupted and a new session starts (--new-session)\n`);
      } else if (unfinished !== undefined && checkpoint !== undefined) {
        runId = unfinished.id;
        journal.resumeRun(runId);
        resumeFrom = { time: checkpoint.time, state: checkpoint.state as PaperCheckpoint };
        io.stderr.write(`${describeResume(runId, resumeFrom.time, resumeFrom.state, mode)} (--new-session starts over instead)\n`);
      }
    }
    let progress: Progress | undefined;
    const riskTally = new RiskTally();
    const shadow = new ShadowSummary();
    const prices = new PriceTrail();
    // The risk plugins' figures after the last bar, for the report: read before the plugins stop.
    let finalRisk: RiskFigures[] = [];
    let readRisk: (() => Promise<RiskFigures[]>) | undefined;
    const troubles = new PluginTroubles();
    // A paper session says what it is doing once live; a backtest shows its progress instead.
    const status = session && values.json !== true ? new PaperStatus(io.stderr, io.stderr.isTTY === true) : undefined;
    // A paper session answers `trading-orchestrator ctl` (config.control) while it runs.
    const health = session && config !== undefined ? new SessionHealth(config, io) : undefined;
    // A live session always has its halt rule: reconciliation holds entries with it, control API or not.
    const halt = mode === 'live' ? new HaltSwitch() : undefined;
    let notifications: NotificationHub | undefined;
    const controlled = config?.control.enabled === true && (session || (mode === 'backtest' && config.control.backtest));
    const control = controlled && configFile !== undefined ? new SessionControl(config, configFile, io, shadow, { ...(health === undefined ? {} : { health }), catalog, rediscover: async () => (await discover({ ...values, 'no-cache': true }, io)).catalog, ...(journal === undefined ? {} : { journal }), ...(halt === undefined ? {} : { halt }) }) : undefined;
    const hooks = {
      beforeShutdown: async () => {
        finalRisk = (await readRisk?.()) ?? [];
        await notifications?.end(control?.stopRequested === true ? 'stopped by trading-orchestrator ctl stop' : interrupts.signal.aborted ? 'interrupted (Ctrl-C)' : 'finished');
      },
      signal: AbortSignal.any([interrupts.signal, memory.signal, ...(control === undefined ? [] : [control.signal])]),
      onSpan: (span: RunSpan) => {
        if (values.json !== true) progress = new Progress(io.stderr, span, io.stderr.isTTY === true);
      },
      attach: (bus: EventBus, manager: PluginManager, session: RunningSession) => {
        const offHealth = health?.attach(bus, manager);
        if (session && config !== undefined && config.notifiers.length > 0) {
          notifications = new NotificationHub(bus, manager, config.notifiers.map((n) => ({ id: n.id ?? n.plugin, events: n.events, retries: n.retries, retryDelayMs: n.retryDelayMs })), config.currency);
        }
        const offNotify = notifications?.attach();
        const offControl = control?.attach(bus, manager, session);
        let done = 0;
        const offProgress = bus.subscribe('bar', (bar) => {
          if (done === 0) markTime('first bar');
          progress?.update(++done, bar.time);
          if ((done & 31) === 0) memory.check();
        });
        const offRisk = riskTally.attach(bus);
        const offShadow = shadow.attach(bus);
        const offPrices = prices.attach(bus);
        readRisk = () => riskFigures(manager, session.portfolio());
        const offTroubles = troubles.attach(bus);
        const offStatus = status?.attach(bus);
        if (journal === undefined) {
          return () => {
            offControl?.();
            offHealth?.();
            offNotify?.();
            offProgress();
            offShadow();
            offPrices();
            offRisk();
            offTroubles();
            offStatus?.();
          };
        }
        if (runId === 0) runId = journal.startRun({ label: configFile ?? 'default', mode, config: config === undefined ? 'default' : redactSecrets(config), startedAt: Date.now() });
        const detachJournal = journal.attach(bus, runId, { equity: config?.journalEquity ?? 'thinned' });
        return () => {
          offControl?.();
          offHealth?.();
          offNotify?.();
          offProgress();
          offShadow();
          offPrices();
          offRisk();
          offTroubles();
          offStatus?.();
          detachJournal();
        };
      },
    };
    let run: BacktestOutcome;
    try {
      if (config === undefined) run = await runDefaultBacktest(catalog, hooks);
      else if (session) {
        const hostRisk = control?.hostRisk ?? (halt === undefined ? undefined : { id: HALT_RULE_ID, plugin: halt.plugin() });
        run = await runPaper(config, catalog, configFile, {
          ...hooks,
          ...(hostRisk === undefined ? {} : { hostRisk }),
          ...(mode === 'live'
            ? {
                live: {
                  ...config.live,
                  halt: (control?.halt ?? halt)!,
                  announce: (venue) => io.stderr.write(venue === undefined ? `live: the broker does not say which venue or account it trades\n` : `live on ${venue.venue}, ${venue.account}: ${venue.live ? 'REAL MONEY' : 'a test network, no real money'}\n`),
                  say: (line) => io.stderr.write(`${line}\n`),
                },
              }
            : {}),
          ...(maxBars === undefined ? {} : { maxBars }),
          ...(resumeFrom === undefined ? {} : { resumeFrom }),
          ...(journal === undefined ? {} : { checkpoint: (time: number, state: PaperCheckpoint) => journal.checkpoint(runId, time, state) }),
          onLateBar: (bar, latest) =>
            io.stderr.write(
              `warning: the ${bar.symbol} bar of ${new Date(bar.time).toISOString()} closed after a bar of ${new Date(latest).toISOString()} was traded on; it is left out to keep time order (the data feed delivered it late)\n`,
            ),
          onWarning: (message) => io.stderr.write(`warning: ${message}\n`),
          onLive: ({ warmupBars, from }) => {
            io.stderr.write(`live from ${new Date(from).toISOString()} after ${warmupBars} warm-up bars; trading on closed ${config.timeframe} bars${maxBars === undefined ? ' until Ctrl-C' : ` for ${maxBars} bars`}\n`);
            status?.goLive();
          },
        });
      } else run = await runBacktest(config, catalog, configFile, hooks);
      progress?.done();
      status?.done();
      if (journal !== undefined && runId > 0) {
        const status = memory.reason !== undefined ? 'failed' : run.result.interrupted && control?.stopRequested !== true ? 'interrupted' : 'finished';
        journal.finishRun(runId, { status, endedAt: Date.now(), summary: { equity: run.result.portfolio.equity, bars: run.result.bars, ...(memory.reason === undefined ? {} : { error: memory.reason }), ...(control?.stopRequested === true ? { note: 'stopped by trading-orchestrator ctl stop' } : {}) } });
      }
    } catch (error) {
      progress?.done();
      status?.done();
      if (error instanceof RunInterruptedError && memory.reason !== undefined) {
        if (journal !== undefined && runId > 0) journal.finishRun(runId, { status: 'failed', endedAt: Date.now(), summary: { error: memory.reason } });
        return fail(1, `${memory.reason}, before the first bar`, 'find the plugin that holds on to what it is given, or give Node more memory (NODE_OPTIONS=--max-old-space-size=<MB>)');
      }
      if (error instanceof RunInterruptedError) {
        if (journal !== undefined && runId > 0) journal.finishRun(runId, { status: 'interrupted', endedAt: Date.now(), summary: { note: error.message } });
        io.stderr.write(`${error.message}${journal !== undefined && runId > 0 ? `; journal: ${journal.path} (run ${runId}, interrupted)` : ''}\n`);
        return 130;
      }
      if (journal !== undefined && runId > 0) journal.finishRun(runId, { status: 'failed', endedAt: Date.now(), summary: { error: String(error) } });
      throw error;
    }
    const riskIndex = (pluginId: string) => run.config.risk.findIndex((r) => (r.id ?? r.plugin) === pluginId);
    const riskLines = renderRiskNotes(riskTally.list(), (pluginId) => (riskIndex(pluginId) < 0 ? undefined : `risk[${riskIndex(pluginId)}]`));
    const code = await finish(run, mode, { values, io, reportFile, journal, journalFile, runId, summary: { riskLines, troubleLines: troubles.lines(), outOfRun: troubles.outOfRun(), shadowLines: shadow.lines(), shadowComparisons: shadow.comparisons(), prices: prices.series(), riskFigures: finalRisk }, ...(memory.reason === undefined ? {} : { stoppedBy: 'memory ran short' }), requested: control?.stopRequested === true });
    if (memory.reason === undefined) return code;
    // What ran until then is summarised, reported and journaled above; the run still failed.
    return fail(1, `${memory.reason}; the summary above covers the ${run.result.bars} bars before it`, 'find the plugin that holds on to what it is given (the journal has everything up to the stop), or give Node more memory (NODE_OPTIONS=--max-old-space-size=<MB>)');
  } finally {
    memory.dispose();
    interrupts.dispose();
    journal?.close();
  }
}

/**
 * The run's journal. When nobody asked for one (the default file) and this Node cannot run SQLite (Node 20 without
 * better-sqlite3), the run goes on without it and says how to get one; a journal that was asked for fails the run.
 */
function openJournal(module: Awaited<ReturnType<typeof loadJournalModule>>, file: OutputFile, io: Io) {
  if (module === undefined || file.file === undefined) return undefined;
  try {
    return module.Journal.open(file.file);
  } catch (error) {
    if (file.named !== 'default' || (error as { code?: unknown }).code !== 'JOURNAL_NO_SQLITE') throw error;
    io.stderr.write(`warning: no journal is kept: ${(error as Error).message}\n  fix: ${(error as { fix: string }).fix}\n`);
    return undefined;
  }
}

interface Finishing {
  readonly values: OptionValues;
  readonly io: Io;
  readonly reportFile: OutputFile;
  readonly journalFile: OutputFile;
  readonly journal: { readonly path: string } | undefined;
  readonly runId: number;
  readonly summary: SummaryExtras & { readonly shadowComparisons?: readonly ShadowComparison[]; readonly prices?: ReturnType<PriceTrail['series']>; readonly riskFigures?: readonly RiskFigures[] };
  /** Why a run that did not reach its end stopped, when not Ctrl-C: its journal entry is then failed, not interrupted. */
  readonly stoppedBy?: string;
  /** The session was asked to stop (`ctl stop`): it ends as finished, exit 0. */
  readonly requested?: boolean;
}

/** The summary on the terminal, the report, and where the journal is: what a finished (or stopped) run leaves. */
async function finish(run: BacktestOutcome, mode: RunMode, { values, io, reportFile, journalFile, journal, runId, summary, stoppedBy, requested }: Finishing): Promise<number> {
  if (values.json === true) {
    io.stdout.write(`${JSON.stringify(run.result, null, 2)}\n`);
    return run.result.interrupted ? 130 : 0;
  }
  const seconds = run.elapsedMs / 1000;
  const c = run.config;
  const kind = mode === 'live' ? 'Live session' : 'Paper session';
  const title =
    mode !== 'backtest'
      ? `${kind}: ${c.symbols.join(', ')} ${c.timeframe} (${dataNames(c)}), ${run.result.bars} bars (${c.warmupBars} warm-up requested) in ${seconds.toFixed(2)} s`
      : `Backtest: ${c.symbols.join(', ')} ${c.timeframe} from ${c.start} to ${c.end} (${dataNames(c)}), ${run.result.bars} bars in ${seconds.toFixed(2)} s (${Math.round(run.result.bars / seconds)} bars/s)`;
  if (requested === true) io.stdout.write(`stopped by trading-orchestrator ctl stop after ${run.result.bars} bars; the plugins were stopped and the journal flushed.\n`);
  else if (run.result.interrupted) io.stdout.write(`${stoppedBy === undefined ? 'interrupted' : 'stopped'} after ${run.result.bars} bars (${stoppedBy ?? 'Ctrl-C'}); the plugins were stopped and the journal flushed. Summary so far:\n`);
  io.stdout.write(`${renderBacktest(run.result, title, summary)}\n`);
  if (reportFile.file !== undefined) {
    // The report holds what the run computed, not how long it took, so two runs of one config give the same file.
    const scope = mode !== 'backtest' ? `${c.symbols.join(', ')} ${c.timeframe} (${dataNames(c)}), ${run.result.bars} bars` : `${c.symbols.join(', ')} ${c.timeframe} from ${c.start} to ${c.end} (${dataNames(c)}), ${run.result.bars} bars`;
    // Imported when the run is over: the report's code is not on the way to the first bar.
    const { renderHtmlReport } = await import('@trading-orchestrator/report');
    const html = renderHtmlReport(run.result, {
      title: `${mode !== 'backtest' ? kind : 'Backtest'} ${c.symbols.join(', ')} ${c.timeframe}`,
      details: [scope, `strategies: ${c.strategies.map((x) => x.id ?? x.plugin).join(', ')}; risk: ${c.risk.map((x) => x.id ?? x.plugin).join(', ') || 'none'}`, `capital ${c.capital} ${c.currency}`],
      problems: (summary.troubleLines ?? []).slice(1).map((line) => line.trim()),
      ...(summary.shadowComparisons === undefined || summary.shadowComparisons.length === 0 ? {} : { shadowComparisons: summary.shadowComparisons }),
      ...(summary.prices === undefined ? {} : { prices: summary.prices }),
      ...(summary.riskFigures === undefined ? {} : { riskFigures: summary.riskFigures }),
    });
    const written = writeOutput(reportFile.file, html, io.cwd);
    if (written.failure !== undefined) io.stderr.write(`warning: the report could not be written to ${reportFile.file} (${written.failure}); it was written to ${written.path} instead\n`);
    io.stdout.write(`report: ${written.path}\n`);
  }
  if (run.result.interrupted && requested !== true) {
    io.stdout.write(journal === undefined ? '' : `journal: ${journal.path} (run ${runId}, ${stoppedBy === undefined ? 'interrupted' : 'failed'})\n`);
    return 130;
  }
  io.stdout.write(
    journal === undefined
      ? `journal: none (${journalFile.named === 'option' ? '--no-journal' : journalFile.named === 'config' ? `journal: false in ${values.config}` : `npm install ${JOURNAL_PACKAGE} to keep one`})\n`
      : `journal: ${journal.path} (run ${runId}); trading-orchestrator journal export ${runId} --journal ${journal.path}\n`,
  );
  return 0;
}
