import type { Bar, Timeframe } from '@trading-orchestrator/plugin-api';

/** A fed bar of another timeframe than the run's (`named`), or than the symbol's bars before it. */
export function mixedTimeframes(bar: Pick<Bar, 'symbol' | 'timeframe'>, fed: Timeframe, named: boolean): RangeError {
  if (named) return new RangeError(`the run is fed ${fed} bars and got a ${bar.timeframe} bar of ${bar.symbol}: feed only ${fed} bars; coarser ones are built from them for the strategies that list them`);
  return new RangeError(`${bar.symbol} came in ${fed} bars and then a ${bar.timeframe} bar: feed one timeframe per symbol, name it as the run's timeframe, and list coarser ones in the strategies' timeframes`);
}

