import { createHash } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { printableUrl, redisOptions } from '../optimize/queue/redis-connection.js';
import type { Journal } from '@trading-orchestrator/journal';
import type { ParamValues } from '@trading-orchestrator/plugin-api';
import type { OptionValues } from '../cli/arguments.js';
import { redactSecrets } from '../config/redact-secrets.js';
import { discover } from '../cli/discover.js';
import { listenForInterrupts } from '../cli/interrupts.js';
import type { Io } from '../cli/io.js';
import { loadRunConfig } from '../config/load-config.js';
import { DEFAULT_JOURNAL, outputFile, unwritable, writeOutput } from '../config/output-files.js';
import { availableParallelism } from 'node:os';
import { BarsMemo } from '../optimize/bars-memo.js';
import { loadSharedBars } from '../optimize/load-shared-bars.js';
import { threadPool } from '../optimize/thread-pool.js';
import { inProcess, type TrialExecutor } from '../optimize/trial-executor.js';
import { renderSweepReport } from '../optimize/optimize-report.js';
import { SweepProgress } from '../optimize/sweep-progress.js';
import { renderSweep, renderWalkForward } from '../optimize/render-sweep.js';
import { bestTrial, runSweep, type TrialLog } from '../optimize/sweep.js';
import { sweepGuards } from '../optimize/sweep-guards.js';
import { sweepSpace } from '../optimize/sweep-space.js';
import { runWalkForward } from '../optimize/walk-forward.js';
import type { TrialOutcome } from '../optimize/trial.js';
import { decodeNumbers, encodeNumbers } from '../optimize/outcome-codec.js';
import { loadObjective, type Objective } from '../optimize/objective.js';
import { RunInterruptedError } from './interruption.js';
import { JOURNAL_PACKAGE, loadJournalModule } from './journal-commands.js';

export const DEFAULT_OPTIMIZE_REPORT = 'trading-orchestrator-optimize.html';


const fromJson = (m: unknown) => (m === null || typeof m !== 'object' ? undefined : decodeNumbers<TrialOutcome['metrics']>(m));

/** A journaled trial's score again (the journal keeps no Infinity); a module that now throws scores it worst. */
function rescore(objective: Objective, metrics: NonNullable<TrialOutcome['metrics']>, returns: TrialOutcome['returns'] | null): number {
  try {
    return objective.score({ metrics, returns: returns ?? { days: [], values: [] } });
  } catch {
    return Number.NEGATIVE_INFINITY;
  }
}

/** A trial log on the journal: trials of run `runId`, read once when the sweep resumes. */
function journalLog(journal: Journal, runId: number, objective: Objective): TrialLog {
  const kept = new Map<string, { values: ParamValues; outcome: TrialOutcome }>();
  for (const row of journal.trials(runId)) {
    const metrics = fromJson(row.metrics);
    const outcome: TrialOutcome = {
      status: row.status as TrialOutcome['status'],
      score: row.status === 'ok' && metrics !== undefined ? rescore(objective, metrics, row.returns) : Number.NEGATIVE_INFINITY,
      metrics,
      returns: row.returns ?? { days: [], values: [] },
      ...(row.error === null ? {} : { reason: row.error }),
      elapsedMs: row.elapsedMs,
    };
    kept.set(`${row.window}:${row.seq}`, { values: row.params as ParamValues, outcome });
  }
  return {
    recorded: (window, seq) => kept.get(`${window}:${seq}`),
    record: (window, trial) =>
      journal.recordTrial(runId, { window, seq: trial.seq, params: trial.values, status: trial.outcome.status, score: trial.outcome.status === 'ok' ? trial.outcome.score : null, metrics: trial.outcome.metrics === undefined ? null : encodeNumbers(trial.outcome.metrics), returns: trial.outcome.returns, elapsedMs: trial.outcome.elapsedMs, error: trial.outcome.reason ?? null }),
  };
}

/** `optimize --config <file>`: the sweep (or walk-forward analysis) the file's `optimize:` section describes. */
export async function optimizeCommand(values: OptionValues, io: Io): Promise<number> {
  const fail = (code: number, message: string, fix?: string) => {
    io.stderr.write(`error: ${message}\n${fix === undefined ? '' : `  fix: ${fix}\n`}`);
    return code;
  };
  if (values.config === undefined) return fail(2, 'optimize needs --config <file>', 'add an optimize: section to a backtest run file (docs/config-reference.md, "optimize"), then trading-orchestrator optimize --config run.yaml');
  const { catalog } = await discover(values, io);
  const configFile = resolve(io.cwd, values.config);
  const config = await loadRunConfig(configFile, io.env, catalog);
  if (config.mode !== 'backtest') return fail(2, `${values.config} describes a ${config.mode} run; an optimisation searches over a backtest`, 'set mode: backtest (with start and end) in it, or use a copy of it for the optimisation');
  const optimize = config.optimize;
  if (optimize === undefined) return fail(2, `${values.config} has no optimize: section`, 'add one, e.g.\n    optimize:\n      method: tpe\n      trials: 50\n      objective: sharpe\n  (the strategies\' declared search spaces are used; optimize.space adds or changes settings)');
  const sweep = await sweepSpace(config, optimize, catalog, configFile);
  const objective = await loadObjective(optimize, dirname(configFile));

  const journalFile = outputFile({ path: values.journal, none: values['no-journal'] === true }, config.journal, configFile, io.cwd, DEFAULT_JOURNAL);
  const reportFile = outputFile({ path: values.report, none: values['no-report'] === true }, undefined, configFile, io.cwd, DEFAULT_OPTIMIZE_REPORT);
  for (const [output, what, option] of [[journalFile, 'journal', '--journal'], [reportFile, 'report', '--report']] as const) {
    const problem = output.file === undefined ? undefined : unwritable(output.file);
    if (problem !== undefined) return fail(1, `the ${what} would be written to ${output.file}, but ${problem}`, `name another file (${option} <file>) or write none (--no-${what})`);
  }
  const journalModule = journalFile.file === undefined ? undefined : await loadJournalModule();
  if (journalFile.file !== undefined && journalFile.named !== 'default' && journalModule === undefined) return fail(1, `--journal needs ${JOURNAL_PACKAGE}, which is not installed`, `npm install ${JOURNAL_PACKAGE}, or keep no journal (--no-journal)`);
  let journal: Journal | undefined;
  try {
    journal = journalModule === undefined || journalFile.file === undefined ? undefined : journalModule.Journal.open(journalFile.file);
  } catch (error) {
    if (journalFile.named !== 'default' || (error as { code?: unknown }).code !== 'JOURNAL_NO_SQLITE') throw error;
    io.stderr.write(`warning: no journal is kept, so an interrupted sweep cannot resume: ${(error as Error).message}\n`);
  }
  // The config as searched: a sweep resumes only when this is what it was started with (on any number of threads).
  // No secret in the journal: keys given through ${ENV} are plain values by now.
  const journaled = { run: redactSecrets({ ...config, optimize: { ...optimize, workers: undefined } }), space: sweep.space.dimensions.map((d) => [d.name, d.spec]), conditions: sweep.space.conditions.map((c) => c.text) };
  let runId = 0;
  let log: TrialLog | undefined;
  if (journal !== undefined) {
    const previous = journal.listRuns().filter((r) => r.label === configFile && r.mode === 'optimize' && (r.status === 'running' || r.status === 'interrupted')).at(-1);
    const same = previous !== undefined && JSON.stringify(journal.runConfig(previous.id)) === JSON.stringify(journaled);
    if (previous !== undefined && (values['new-sweep'] === true || !same)) {
      journal.finishRun(previous.id, { status: 'interrupted', endedAt: Date.now(), summary: { note: same ? 'set aside by --new-sweep' : 'set aside: the run file changed' } });
      io.stderr.write(`optimisation run ${previous.id} was left unfinished; ${same ? '--new-sweep starts over' : 'the run file has changed since, so a new sweep starts'} (run ${previous.id} is kept as interrupted)\n`);
    } else if (previous !== undefined) {
      runId = previous.id;
      journal.resumeRun(runId);
      io.stderr.write(`resuming optimisation run ${runId}: its ${journal.trials(runId).length} finished trials are read back, not run again (--new-sweep starts over)\n`);
    }
    if (runId === 0) runId = journal.startRun({ label: configFile, mode: 'optimize', config: journaled, startedAt: Date.now() });
    log = journalLog(journal, runId, objective);
  } else io.stderr.write('no journal: the trials are not kept, and an interrupted sweep starts over\n');

  const interrupts = listenForInterrupts((line) => io.stderr.write(`\n${line}\n`), () => journal?.close());
  const start = Date.parse(config.start!);
  const end = Date.parse(config.end!);
  const wanted = values.workers ?? optimize.workers;
  const threads = wanted === 'auto' ? Math.min(8, availableParallelism()) : Number(wanted);
  if (!(Number.isInteger(threads) && threads >= 1 && threads <= 256)) return fail(2, `--workers must be a whole number from 1 to 256, or auto; got "${wanted}"`);
  const progress = new SweepProgress(io.stderr, io.stderr.isTTY === true, optimize);
  const started = performance.now();
  let executor: TrialExecutor | undefined;
  interrupts.signal.addEventListener('abort', () => void executor?.close());
  try {
    if (values.queue !== undefined) {
      if (redisOptions(values.queue) === undefined) return fail(2, `--queue must be a redis:// URL (redis://[user:password@]host[:port][/db]), got "${printableUrl(values.queue)}"`);
      const series = await loadSharedBars(config, catalog, configFile, interrupts.signal);
      const { queueExecutor } = await import('../optimize/queue/queue-executor.js');
      const sweepId = `${createHash('sha256').update(configFile).digest('hex').slice(0, 12)}-${runId === 0 ? Date.now() : runId}`;
      try {
        executor = await queueExecutor(values.queue, sweepId, { config, optimize, file: configFile, targets: [...sweep.targets], series }, optimize.batch);
      } catch (error) {
        return fail(1, `cannot use the queue at ${printableUrl(values.queue)}: ${(error as Error).message}`, 'start redis-server there (and `trading-orchestrator worker --queue <url>` on each machine), or leave out --queue');
      }
      io.stderr.write(`trials go to the queue on ${printableUrl(values.queue)}, ${optimize.batch} at a time; start workers with: trading-orchestrator worker --queue ${printableUrl(values.queue)}\n`);
    }
    // TRADING_ORCHESTRATOR_THREAD_POOL=1 puts even one thread's trials in a worker (the benchmark's baseline).
    else if (threads === 1 && io.env.TRADING_ORCHESTRATOR_THREAD_POOL !== '1') executor = inProcess({ config, optimize, targets: sweep.targets, catalog, file: configFile, bars: new BarsMemo({ start, end }), signal: interrupts.signal });
    else {
      const series = await loadSharedBars(config, catalog, configFile, interrupts.signal);
      const discovery = { ...(values.project === undefined ? {} : { project: resolve(io.cwd, values.project) }), pluginPaths: (values['plugin-path'] ?? []).map((p) => resolve(io.cwd, p)), pluginDirs: (values['plugin-dir'] ?? []).map((p) => resolve(io.cwd, p)), noCache: values['no-cache'] === true };
      executor = threadPool({ cwd: io.cwd, env: io.env, discovery, file: configFile, config, optimize, targets: [...sweep.targets], series }, threads);
    }
    if (values.queue === undefined) io.stderr.write(`trials run ${executor.parallel === 1 && threads === 1 && io.env.TRADING_ORCHESTRATOR_THREAD_POOL !== '1' ? 'in this process' : `on ${threads} worker thread${threads === 1 ? '' : 's'}, on bars loaded once and shared`}\n`);
    const setup = { optimize, space: sweep.space, objective, executor };
    let lines: string[];
    let html: string;
    const heading = { config, optimize, sweep, file: values.config };
    if (optimize.walkForward === undefined) {
      progress.begin(Math.min(optimize.trials, optimize.method === 'grid' ? sweep.space.gridSize() : optimize.trials));
      const trials = await runSweep(setup, { window: 0, span: { start, end }, ...(log === undefined ? {} : { log }), onTrial: (t, all) => progress.trial(t, all) });
      progress.done();
      const best = bestTrial(trials);
      const guards = sweepGuards(trials, best, optimize.partitions);
      const elapsed = performance.now() - started;
      lines = renderSweep({ ...heading, trials, best, guards, elapsedMs: elapsed });
      html = renderSweepReport({ ...heading, trials, best, guards });
      journal?.finishRun(runId, { status: 'finished', endedAt: Date.now(), summary: { trials: trials.length, best: best === undefined ? null : { seq: best.seq, values: best.values, score: best.outcome.score }, guards } });
    } else {
      const plan = { start, end, ...optimize.walkForward };
      const result = await runWalkForward(setup, plan, { ...(log === undefined ? {} : { log }), onTrial: (t, all) => progress.trial(t, all), onWindow: (w) => progress.window(w) });
      progress.done();
      if (result.windows.length === 0) return fail(1, `no walk-forward window fits between ${config.start} and ${config.end}: a window needs ${optimize.walkForward.inSampleDays} in-sample days and ${optimize.walkForward.outOfSampleDays} test days`, 'lengthen the run (start, end) or shorten optimize.walkForward.inSampleDays / outOfSampleDays');
      lines = renderWalkForward({ ...heading, result, elapsedMs: performance.now() - started });
      html = renderSweepReport({ ...heading, walkForward: result });
      journal?.finishRun(runId, { status: 'finished', endedAt: Date.now(), summary: { windows: result.windows.length, totalReturn: result.totalReturn, efficiency: Number.isFinite(result.efficiency) ? result.efficiency : null } });
    }
    io.stdout.write(`${lines.join('\n')}\n`);
    if (reportFile.file !== undefined) {
      const written = writeOutput(reportFile.file, html, io.cwd);
      if (written.failure !== undefined) io.stderr.write(`warning: the report could not be written to ${reportFile.file} (${written.failure}); it was written to ${written.path} instead\n`);
      io.stdout.write(`report: ${written.path}\n`);
    }
    io.stdout.write(journal === undefined ? 'journal: none\n' : `journal: ${journal.path} (run ${runId}, its trials in the trials table)\n`);
    return 0;
  } catch (error) {
    progress.done();
    if (error instanceof RunInterruptedError || interrupts.signal.aborted) {
      journal?.finishRun(runId, { status: 'interrupted', endedAt: Date.now(), summary: { note: 'stopped by Ctrl-C' } });
      io.stderr.write(`interrupted (Ctrl-C); the finished trials are kept${journal === undefined ? ' nowhere (no journal)' : ` in ${journal.path} (run ${runId}): run the same command again to resume`}\n`);
      return 130;
    }
    journal?.finishRun(runId, { status: 'failed', endedAt: Date.now(), summary: { error: String(error) } });
    throw error;
  } finally {
    await executor?.close();
    interrupts.dispose();
    journal?.close();
  }
}
