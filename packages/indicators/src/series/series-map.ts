import type { Bar, Timeframe } from '@trading-orchestrator/plugin-api';

/**
 * A plugin's state per series (symbol and timeframe), made on the series' first bar. A strategy that is given
 * hourly and four-hour bars of one symbol keeps its indicators apart this way; kept by symbol alone, the two
 * series would run through one moving average. Consecutive bars usually belong to one series, which is answered
 * without a look-up.
 */
export class SeriesMap<State> {
  private readonly bySymbol = new Map<string, Map<Timeframe, State>>();
  private count = 0;
  private lastSymbol: string | undefined;
  private lastTimeframe: Timeframe | undefined;
  private lastState: State | undefined;

  /** `create` makes the state of a series on its first bar. */
  constructor(private readonly create: (symbol: string, timeframe: Timeframe) => State) {}

  /** The state of the bar's series, made if this is its first bar. */
  of(bar: Bar): State {
    if (bar.symbol === this.lastSymbol && bar.timeframe === this.lastTimeframe) return this.lastState!;
    return this.lookUp(bar.symbol, bar.timeframe);
  }

  /** The state of a series that has had a bar, or undefined. */
  get(symbol: string, timeframe: Timeframe): State | undefined {
    return this.bySymbol.get(symbol)?.get(timeframe);
  }

  /** The states of a symbol's series by timeframe, or undefined before its first bar. */
  ofSymbol(symbol: string): ReadonlyMap<Timeframe, State> | undefined {
    return this.bySymbol.get(symbol);
  }

  /** How many series have had a bar. */
  get size(): number {
    return this.count;
  }

  // Apart from `of`, so the common case stays small enough to be inlined into a plugin's onBar.
  private lookUp(symbol: string, timeframe: Timeframe): State {
    let series = this.bySymbol.get(symbol);
    if (series === undefined) this.bySymbol.set(symbol, (series = new Map()));
    let state = series.get(timeframe);
    if (state === undefined) {
      series.set(timeframe, (state = this.create(symbol, timeframe)));
      this.count++;
    }
    this.lastSymbol = symbol;
    this.lastTimeframe = timeframe;
    this.lastState = state;
    return state;
  }
}
