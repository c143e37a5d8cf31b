import { objectiveName } from './objective.js';
import type { ParamValues } from '@trading-orchestrator/plugin-api';
import type { RunConfig } from '../config/run-config.js';
import type { OptimizeSection } from './optimize-config.js';
import type { SweepGuards } from './sweep-guards.js';
import type { SweepSpace } from './sweep-space.js';
import type { FinishedTrial } from './sweep.js';
import type { TrialMetrics } from './trial.js';
import type { WalkForwardResult } from './walk-forward.js';

export const formatValues = (values: ParamValues) =>
  Object.entries(values)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
const pct = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '–' : `${(x * 100).toFixed(2)}%`);
const num = (x: number | undefined, d = 2) => (x === undefined ? '–' : x === Number.POSITIVE_INFINITY ? '∞' : Number.isFinite(x) ? x.toFixed(d) : '–');

/** One sentence each: what the guards mean, shown next to every optimisation result. */
export const GUARD_MEANINGS = {
  deflatedSharpe: 'the probability that the chosen settings\' true Sharpe ratio is above zero once the number of trials is allowed for (below 0.95, the best result may be luck)',
  overfitting: 'how often the best settings on one half of the days ranked at or below the median on the other half (near 0.5 or above, choosing the best is no better than choosing at random)',
} as const;

export interface SweepHeading {
  readonly config: RunConfig;
  readonly optimize: OptimizeSection;
  readonly sweep: SweepSpace;
  /** The run file as the user named it. */
  readonly file: string;
}

export function headingLine({ config, optimize, sweep }: SweepHeading): string {
  return `Optimisation: ${optimize.method} search of ${sweep.space.names.join(', ')} for the best ${objectiveName(optimize)}, on ${config.symbols.join(', ')} ${config.timeframe} from ${config.start} to ${config.end}`;
}

function metricsText(m: TrialMetrics | undefined, objective: string, score: number): string {
  if (m === undefined) return '';
  const own = objective === 'sharpe' || objective === 'totalReturn' ? '' : `${objective} ${num(score, 3)} · `;
  return `${own}return ${pct(m.totalReturn)} · drawdown ${pct(m.maxDrawdown)} · sharpe ${num(m.sharpe)} · ${m.trades} trades`;
}

export function guardLines(guards: SweepGuards): string[] {
  const lines = [`Overfitting guards (${guards.trials} trials measured):`];
  const d = guards.deflatedSharpe;
  if (d !== undefined) lines.push(`  deflated Sharpe ratio ${d.probability.toFixed(3)} (its Sharpe ${d.sharpe.toFixed(2)} against ${d.expectedMaxSharpe.toFixed(2)}, the best that ${guards.trials} luckless trials would show): ${GUARD_MEANINGS.deflatedSharpe}`);
  const o = guards.overfitting;
  if (o !== undefined) lines.push(`  probability of backtest overfitting ${o.probability.toFixed(3)} (${o.splits} splits of ${o.partitions} blocks of days): ${GUARD_MEANINGS.overfitting}`);
  for (const note of guards.notes) lines.push(`  ${note}`);
  return lines;
}

/** The settings of `values` as the run file would take them, by plugin entry. */
export function settingsLines(sweep: SweepSpace, values: ParamValues): string[] {
  const byEntry = new Map<string, string[]>();
  for (const [name, value] of Object.entries(values)) {
    const t = sweep.targets.get(name);
    if (t === undefined) continue;
    byEntry.set(t.entry.path, [...(byEntry.get(t.entry.path) ?? []), `${t.key}: ${JSON.stringify(value)}`]);
  }
  return [...byEntry].map(([path, parts]) => `  ${path}.config: { ${parts.join(', ')} }`);
}

export function renderSweep(input: SweepHeading & { trials: readonly FinishedTrial[]; best: FinishedTrial | undefined; guards: SweepGuards; elapsedMs: number }): string[] {
  const { trials, best, guards, optimize } = input;
  const count = (s: string) => trials.filter((t) => t.outcome.status === s).length;
  const replayed = trials.filter((t) => t.replayed).length;
  const ran = trials.length - replayed;
  const lines = [
    headingLine(input),
    `  ${trials.length} trials: ${count('ok')} measured, ${count('rejected')} rejected, ${count('failed')} failed${replayed > 0 ? `; ${replayed} read back from the journal` : ''} · ${(input.elapsedMs / 1000).toFixed(1)} s${ran > 0 ? ` (${(input.elapsedMs / 1000 / ran).toFixed(2)} s a trial)` : ''}`,
  ];
  // Reasons that differ only in their figures (two drawdowns over the limit) are one kind, shown by its first example.
  const reasons = new Map<string, { example: string; n: number }>();
  for (const t of trials) {
    if (t.outcome.status === 'ok' || t.outcome.reason === undefined) continue;
    const kind = t.outcome.reason.replace(/-?\d+(\.\d+)?/g, '#');
    const seen = reasons.get(kind);
    reasons.set(kind, { example: seen?.example ?? t.outcome.reason, n: (seen?.n ?? 0) + 1 });
  }
  for (const { example, n } of [...reasons.values()].slice(0, 3)) lines.push(`    ${n} × ${n === 1 ? example : `like: ${example}`}`);
  if (best === undefined) {
    lines.push('  no trial met the constraints: widen the search space, or loosen optimize.constraints');
    return lines;
  }
  lines.push(`Best (trial ${best.seq + 1}): ${formatValues(best.values)}`, `  ${metricsText(best.outcome.metrics, objectiveName(optimize), best.outcome.score)}`);
  const top = trials.filter((t) => t.outcome.status === 'ok').sort((a, b) => b.outcome.score - a.outcome.score).slice(0, 5);
  lines.push('Top trials:');
  for (const t of top) lines.push(`  #${String(t.seq + 1).padEnd(4)} ${num(t.outcome.score, 3).padStart(8)}  ${formatValues(t.values)}`);
  lines.push(...guardLines(guards));
  lines.push('To run the best settings, set in the run file:', ...settingsLines(input.sweep, best.values));
  return lines;
}

export function renderWalkForward(input: SweepHeading & { result: WalkForwardResult; elapsedMs: number }): string[] {
  const { result, optimize } = input;
  const wf = optimize.walkForward!;
  const day = (t: number) => new Date(t).toISOString().slice(0, 10);
  const lines = [`Walk-forward (${wf.anchored ? 'anchored' : 'rolling'}, ${wf.inSampleDays} in-sample days, ${wf.outOfSampleDays} test days): ${headingLine(input).replace(/^Optimisation: /, '')}`];
  for (const w of result.windows) {
    const inS = w.chosen?.outcome.metrics;
    const test = w.test?.metrics;
    const g = w.guards;
    const guardText = g.deflatedSharpe === undefined && g.overfitting === undefined ? '' : ` [deflated Sharpe ${num(g.deflatedSharpe?.probability, 3)}, PBO ${num(g.overfitting?.probability, 3)}]`;
    lines.push(`  window ${w.window.index + 1}: in-sample ${day(w.window.inSample.start)}..${day(w.window.inSample.end)} ${w.chosen === undefined ? 'no trial met the constraints' : `chose ${formatValues(w.chosen.values)} (${objectiveName(optimize)} ${num(w.chosen.outcome.score, 3)}, return ${pct(inS?.totalReturn)})${guardText}`}; test ${day(w.window.outOfSample.start)}..${day(w.window.outOfSample.end)}: ${test === undefined ? (w.test?.reason ?? 'not run') : `return ${pct(test.totalReturn)}, sharpe ${num(test.sharpe)}, ${test.trades} trades`}`);
  }
  lines.push(
    `  guards per window: the deflated Sharpe ratio is ${GUARD_MEANINGS.deflatedSharpe}; the PBO is ${GUARD_MEANINGS.overfitting}`,
    `Out of sample, stitched: return ${pct(result.totalReturn)} · sharpe ${num(result.sharpe)} · drawdown ${pct(result.maxDrawdown)} over ${result.stitched.values.length} days with bars`,
    `  walk-forward efficiency ${num(result.efficiency)}: the test spans' annualised return over the in-sample one (near 1, the settings kept what they promised; near 0 or below, the in-sample result was mostly fit to noise)`,
    'Parameter stability (1: the same value in every window; near 0: as spread as random choices):',
    ...result.stability.map((s) => `  ${s.name}: ${num(s.stability)} (${s.chosen.join(', ')})`),
    `${(input.elapsedMs / 1000).toFixed(1)} s`,
  );
  return lines;
}
