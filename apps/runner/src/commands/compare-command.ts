import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { timeframeToMs } from '@trading-orchestrator/plugin-api';
import type { OptionValues } from '../cli/arguments.js';
import { discover } from '../cli/discover.js';
import type { Io } from '../cli/io.js';
import { executionsOf, pairExecutions, summarise, type ComparedFill } from '../compare/fill-comparison.js';
import { renderComparison } from '../compare/render-comparison.js';
import { loadRunConfig } from '../config/load-config.js';
import { DEFAULT_JOURNAL, outputFile } from '../config/output-files.js';
import { BUILT_IN_BROKER_ID, type RunConfig } from '../config/run-config.js';
import { JOURNAL_PACKAGE, loadJournalModule } from './journal-commands.js';
import { runBacktest } from './run-backtest.js';

const iso = (t: number) => new Date(t).toISOString();

/**
 * `compare --config <file>`: a paper or live session of that run file beside a backtest of the same bars, execution
 * by execution. The backtest runs the file's data, strategies and risk plugins with the paper broker (its default
 * fees and slippage unless the file's broker is the paper broker), from the session's first traded bar to its last,
 * after the same warm-up: what it fills differently is the session's slippage, latency and venue.
 */
export async function compareCommand(values: OptionValues, io: Io): Promise<number> {
  const fail = (code: number, message: string, fix?: string) => {
    io.stderr.write(`error: ${message}\n${fix === undefined ? '' : `  fix: ${fix}\n`}`);
    return code;
  };
  if (values.config === undefined) return fail(2, 'compare needs --config <file>: the run file of the paper or live session', 'trading-orchestrator compare --config live.yaml [--run <id>]');
  if (values.run !== undefined && !/^[1-9]\d*$/.test(values.run)) return fail(2, `--run is a run id, a whole number (journal list shows them), got "${values.run}"`);
  const module = await loadJournalModule();
  if (module === undefined) return fail(1, `compare reads the session from the journal, and ${JOURNAL_PACKAGE} is not installed`, `npm install ${JOURNAL_PACKAGE}`);
  const { catalog } = await discover(values, io);
  const configFile = resolve(io.cwd, values.config);
  const config = await loadRunConfig(configFile, io.env, catalog);
  if (config.mode === 'backtest') return fail(2, `${values.config} describes a backtest; compare looks at a paper or live session's fills`, 'name the run file of the session (mode: paper or live)');
  const journalFile = outputFile({ path: values.journal, none: false }, config.journal, configFile, io.cwd, DEFAULT_JOURNAL).file!;
  if (!existsSync(journalFile)) return fail(1, `no journal at ${journalFile}`, 'name the session\'s journal with --journal <file>');

  const journal = module.Journal.open(journalFile);
  let session: { id: number; mode: string; fills: ComparedFill[]; from: number; to: number };
  try {
    const runs = journal.listRuns().filter((r) => r.label === configFile && (r.mode === 'paper' || r.mode === 'live'));
    const run = values.run === undefined ? runs.at(-1) : runs.find((r) => r.id === Number(values.run));
    if (run === undefined) return fail(1, `${journalFile} holds no ${values.run === undefined ? '' : `run ${values.run} that is a `}paper or live session of ${values.config}`, 'trading-orchestrator journal list shows the runs; --run <id> picks one');
    const curve = journal.equity(run.id);
    if (curve.length === 0) return fail(1, `${run.mode} run ${run.id} traded no live bar: there is nothing to compare`);
    session = { id: run.id, mode: run.mode, fills: journal.fills(run.id), from: curve[0]!.time, to: curve.at(-1)!.time + timeframeToMs(config.timeframe) };
  } finally {
    journal.close();
  }

  const step = timeframeToMs(config.timeframe);
  const broker = config.broker.plugin === BUILT_IN_BROKER_ID ? config.broker : { plugin: BUILT_IN_BROKER_ID, config: {} };
  // A session ends with what it holds: the backtest does not close it at its last bar either.
  const backtest: RunConfig = { ...config, mode: 'backtest', start: iso(session.from - config.warmupBars * step), end: iso(session.to), closeAtEnd: false, broker, notifiers: [], control: { ...config.control, enabled: false } };
  const fills: ComparedFill[] = [];
  const strategyOf = new Map<string, string>();
  const outcome = await runBacktest(backtest, catalog, configFile, {
    tradeFrom: session.from,
    attach: (bus) => {
      const offOrders = bus.subscribe('order', (o) => void strategyOf.set(o.id, o.strategyId));
      const offFills = bus.subscribe('fill', (f) => void fills.push({ ...f, strategyId: strategyOf.get(f.orderId) ?? strategyOf.get(f.orderId.split(':')[0]!) ?? '' }));
      return () => (offOrders(), offFills());
    },
  });
  const pairings = pairExecutions(executionsOf(session.fills), executionsOf(fills), step);
  const summary = summarise(pairings);
  if (values.json === true) {
    io.stdout.write(`${JSON.stringify({ run: session.id, mode: session.mode, from: session.from, to: session.to, backtestBars: outcome.result.bars, summary, executions: pairings }, null, 2)}\n`);
    return 0;
  }
  const title = `${session.mode} run ${session.id} of ${values.config} beside a backtest of the same ${config.symbols.join(', ')} ${config.timeframe} bars, ${iso(session.from)} to ${iso(session.to)} (the paper broker${broker === config.broker ? ' as configured' : ' with its defaults'})`;
  io.stdout.write(renderComparison(title, pairings, summary, config.currency));
  return 0;
}
