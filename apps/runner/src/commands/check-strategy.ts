import { resolve } from 'node:path';
import type { OptionValues } from '../cli/arguments.js';
import { discover } from '../cli/discover.js';
import { listenForInterrupts } from '../cli/interrupts.js';
import type { Io } from '../cli/io.js';
import { loadRunConfig } from '../config/load-config.js';
import { lookAhead, recursion, type SignalChange } from '../check/strategy-checks.js';
import { RunInterruptedError } from './interruption.js';

const day = (t: number) => new Date(t).toISOString().replace('T', ' ').replace(/(:00)?\.000Z$/, '').replace(/ 00:00$/, '');
const change = (c: SignalChange) => `${day(c.time)} ${c.symbol}: ${c.withMore} with the later bars, ${c.withLess} without`;

/**
 * `check-strategy --config <file>`: does any strategy of the run look ahead (a signal that changes when the bars
 * after it are removed), and do its signals depend on how much history came before its warm-up? Exit 1 when one
 * looks ahead; warm-up differences are warnings.
 */
export async function checkStrategyCommand(values: OptionValues, io: Io): Promise<number> {
  const fail = (code: number, message: string, fix?: string) => {
    io.stderr.write(`error: ${message}\n${fix === undefined ? '' : `  fix: ${fix}\n`}`);
    return code;
  };
  if (values.config === undefined) return fail(2, 'check-strategy needs --config <file>', 'name the backtest run file whose strategies to check, e.g. trading-orchestrator check-strategy --config run.yaml');
  const cuts = values.cuts === undefined ? 10 : Number(values.cuts);
  if (!(Number.isInteger(cuts) && cuts >= 1 && cuts <= 200)) return fail(2, `--cuts must be a whole number from 1 to 200, got "${values.cuts}"`);
  const { catalog } = await discover(values, io);
  const file = resolve(io.cwd, values.config);
  const config = await loadRunConfig(file, io.env, catalog);
  if (config.mode !== 'backtest') return fail(2, `${values.config} describes a ${config.mode} run; the checks cut a backtest's history`, 'set mode: backtest with start and end, or use a copy of the file');
  const all = config.strategies.filter((s) => s.enabled).map((s) => s.id ?? s.plugin);
  if (values.strategy !== undefined && !all.includes(values.strategy)) return fail(2, `${values.config} has no enabled strategy "${values.strategy}" (it has ${all.join(', ')})`);
  const strategies = values.strategy === undefined ? all : [values.strategy];
  const interrupts = listenForInterrupts((line) => io.stderr.write(`\n${line}\n`), () => undefined);
  const ctx = { config, catalog, file, signal: interrupts.signal };
  const progress = (what: string) => (done: number, of: number) => io.stderr.write(`${what}: run ${done} of ${of}\n`);
  try {
    const ahead = await lookAhead(ctx, strategies, cuts, progress('look-ahead check'));
    const offsets = [0.1, 0.25, 0.5];
    const warm = await recursion(ctx, strategies, offsets, progress('warm-up check'));
    const lines = [`Look-ahead check: ${config.symbols.join(', ')} ${config.timeframe} from ${config.start} to ${config.end}, cut at ${cuts} point${cuts === 1 ? '' : 's'} (each signal before a cut must be the same without the bars after it)`];
    for (const f of ahead) {
      if (f.cutsChanged === 0) lines.push(`  ${f.strategyId}: passes`);
      else lines.push(`  ${f.strategyId}: LOOKS AHEAD: its signals changed at ${f.cutsChanged} of ${f.cuts} cuts when the later bars were removed`, ...f.changes.slice(0, 5).map((c) => `    ${change(c)}`), '    fix: the strategy (or the data or indicators it reads) uses bars after the one it signals on; a backtest of it is not what live trading would do');
    }
    lines.push(`Warm-up check: runs starting ${offsets.map((o) => `${o * 100}%`).join(', ')} into the span, compared with the full run once each strategy's warm-up is over`);
    for (const f of warm) {
      const differing = f.starts.filter((s) => s.differing > 0);
      if (differing.length === 0) {
        lines.push(`  ${f.strategyId}: passes`);
        continue;
      }
      lines.push(`  ${f.strategyId}: warning: after warm-up, its signals still depend on the history before it`);
      for (const s of differing) lines.push(`    started ${day(s.start)} (its signals count from ${day(s.comparedFrom)}): ${s.differing} signal${s.differing === 1 ? ' differs' : 's differ'}, the last on ${day(s.lastDifference!)}; first: ${change(s.first!)}`);
      lines.push('    why: an indicator warmed too briefly (EMA, RSI and other recursive averages need several times their period), or signals that depend on the strategy\'s own earlier trades; raise warmupBars (the strategy\'s or the run\'s) until the differences stop');
    }
    io.stdout.write(`${lines.join('\n')}\n`);
    return ahead.some((f) => f.cutsChanged > 0) ? 1 : 0;
  } catch (error) {
    if (error instanceof RunInterruptedError || interrupts.signal.aborted) {
      io.stderr.write('interrupted (Ctrl-C); nothing was checked to the end\n');
      return 130;
    }
    throw error;
  } finally {
    interrupts.dispose();
  }
}
