import type { Bar, Signal, Strategy } from '@trading-orchestrator/plugin-api';

export interface StrategyStep {
  /** Position of the bar in the input. */
  readonly index: number;
  readonly bar: Bar;
  readonly signals: readonly Signal[];
}

/** Feeds bars in order and collects what the strategy said, awaiting only hooks that return a promise. */
export async function runStrategy(strategy: Strategy, bars: Iterable<Bar>): Promise<StrategyStep[]> {
  const steps: StrategyStep[] = [];
  let index = 0;
  for (const bar of bars) {
    let out = strategy.onBar(bar);
    if (out !== null && typeof out === 'object' && 'then' in out && typeof out.then === 'function') out = await out;
    if (out !== undefined && out !== null) steps.push({ index, bar, signals: Array.isArray(out) ? (out as Signal[]) : [out as Signal] });
    index++;
  }
  return steps;
}
