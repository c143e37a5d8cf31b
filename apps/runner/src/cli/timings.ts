/**
 * Where a run's start-up goes, in ms since the process started (`performance.now()`), printed to stderr at the end
 * when TRADING_ORCHESTRATOR_TIMINGS=1: what to look at when a short backtest feels slow to begin.
 */
const marks: [string, number][] = [];
let enabled = false;

export function enableTimings(env: Readonly<Record<string, string | undefined>>): void {
  enabled = env.TRADING_ORCHESTRATOR_TIMINGS === '1';
}

/** Notes that `what` happened now; the first mark of a name counts. */
export function markTime(what: string): void {
  if (enabled && !marks.some(([w]) => w === what)) marks.push([what, performance.now()]);
}

export function renderTimings(): string | undefined {
  if (!enabled || marks.length === 0) return undefined;
  return `timings (ms since the process started): ${marks.map(([what, at]) => `${what} ${at.toFixed(0)}`).join(', ')}`;
}
