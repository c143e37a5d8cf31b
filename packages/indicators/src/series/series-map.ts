import type { Bar, Timeframe } from '@trading-orchestrator/plugin-api';

/**
 * A plugin's state per series (symbol and timeframe), made on the series' first bar. A strategy that is given
 * hourly and four-hour bars of one symbol keeps its indicators apart this way; kept by symbol alone, the two
 * series would run through one moving average. Consecutive bars usually belong to one series, or (several symbols
 * interleaved by time) to the series after the last one in the order the series first came: both are answered
 * without a look-up.
 */
export class SeriesMap<State> {
  private readonly bySymbol = new Map<string, Map<Timeframe, State>>();
  private count = 0;
  private lastSymbol: string | undefined;
  private lastTimeframe: Timeframe | undefined;
  private lastState: State | undefined;
  /** The series in the order of their first bar, and where the last one asked for stands in it. */
  private readonly inTurn: { readonly symbol: string; readonly timeframe: Timeframe; readonly state: State }[] = [];
  private readonly turnOf = new Map<string, Map<Timeframe, number>>();
  private lastTurn = -1;

  /** `create` makes the state of a series on its first bar. */
  constructor(private readonly create: (symbol: string, timeframe: Timeframe) => State) {}

  /** The state of the bar's series, made if this is its first bar. */
  of(bar: Bar): State {
    if (bar.symbol === this.lastSymbol && bar.timeframe === this.lastTimeframe) return this.lastState!;
    return this.nextInTurn(bar.symbol, bar.timeframe);
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
  private nextInTurn(symbol: string, timeframe: Timeframe): State {
    const turn = this.lastTurn + 1 === this.inTurn.length ? 0 : this.lastTurn + 1;
    const next = this.inTurn[turn];
    if (next !== undefined && next.symbol === symbol && next.timeframe === timeframe) return this.remember(turn, next.state);
    return this.lookUp(symbol, timeframe);
  }

  private lookUp(symbol: string, timeframe: Timeframe): State {
    let series = this.bySymbol.get(symbol);
    if (series === undefined) this.bySymbol.set(symbol, (series = new Map()));
    let state = series.get(timeframe);
    let turns = this.turnOf.get(symbol);
    if (turns === undefined) this.turnOf.set(symbol, (turns = new Map()));
    if (state === undefined) {
      state = this.create(symbol, timeframe);
      series.set(timeframe, state);
      turns.set(timeframe, this.inTurn.length);
      this.inTurn.push({ symbol, timeframe, state });
      this.count++;
    }
    return this.remember(turns.get(timeframe)!, state);
  }

  private remember(turn: number, state: State): State {
    const entry = this.inTurn[turn]!;
    this.lastSymbol = entry.symbol;
    this.lastTimeframe = entry.timeframe;
    this.lastState = state;
    this.lastTurn = turn;
    return state;
  }
}
