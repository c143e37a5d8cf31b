import { barCloseTime, barOpenTime, timeframeToMs, type Bar, type Timeframe } from '@trading-orchestrator/plugin-api';

/** A coarser bar being built for one symbol from the bars seen so far in its period. */
interface PartialBar {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  time: number;
  /** When the period ends: its bar is complete once a bar closes there or a later bar opens. */
  end: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  /**
   * Whether the bar will be whole: the symbol had bars before the period, or its first bar opened the period. The
   * stream's first period may have been entered midway, and is then never emitted; later ones may lack bars a
   * session or a gap left out, like the venue's own bar.
   */
  whole: boolean;
  /** Whether the symbol has had a bar. */
  seen: boolean;
}

/**
 * Builds bars of coarser timeframes from a time-ordered stream of finer ones (one timeframe per symbol), and
 * hands each out only once its period is over: after the bar that closes it, or before the first bar of a later
 * time, whichever the stream shows first. So a strategy on four-hour bars sees the bar of 12:00-16:00 after the
 * 15:00 hourly bar and before the 16:00 one, never earlier. The first period of a symbol, when the stream entered
 * it midway (a warm-up that starts at 13:00), is left out rather than handed out short.
 */
export class BarAggregator {
  /** By symbol: one partial bar per target timeframe, made on the symbol's first bar. */
  private readonly partials = new Map<string, PartialBar[]>();
  /** The earliest `end` among the periods with bars in them: below it, `due` has nothing to look at. */
  private nextEnd = Number.POSITIVE_INFINITY;

  /** Finest first, so that at one instant a four-hour bar comes before the day's. */
  private readonly timeframes: readonly Timeframe[];

  constructor(timeframes: readonly Timeframe[]) {
    this.timeframes = [...new Set(timeframes)].sort((a, b) => timeframeToMs(a) - timeframeToMs(b));
  }

  /** The bars whose periods ended by `time` (the open time of the next bar of the stream), or undefined. */
  due(time: number): Bar[] | undefined {
    if (time < this.nextEnd) return undefined;
    let done: Bar[] | undefined;
    let nextEnd = Number.POSITIVE_INFINITY;
    for (const list of this.partials.values()) {
      for (const p of list) {
        if (Number.isNaN(p.open)) continue;
        if (p.end <= time) done = this.close(p, done);
        else nextEnd = Math.min(nextEnd, p.end);
      }
    }
    this.nextEnd = nextEnd;
    return done;
  }

  /** Adds a bar of the stream; returns the bars it completed, or undefined. */
  add(bar: Bar): Bar[] | undefined {
    let list = this.partials.get(bar.symbol);
    if (list === undefined) {
      list = this.timeframes.map((timeframe) => ({ symbol: bar.symbol, timeframe, time: 0, end: 0, open: Number.NaN, high: 0, low: 0, close: 0, volume: 0, whole: false, seen: false }));
      this.partials.set(bar.symbol, list);
    }
    // The bar's own close: a fed bar need not start on its timeframe's grid (hourly equity bars open at :30).
    const closes = bar.time + timeframeToMs(bar.timeframe);
    let done: Bar[] | undefined;
    for (const p of list) {
      if (Number.isNaN(p.open) || bar.time >= p.end) {
        // A period whose end `due` was not asked about (a stream of one symbol with a gap) is over now.
        if (!Number.isNaN(p.open)) done = this.close(p, done);
        p.time = barOpenTime(bar.time, p.timeframe);
        p.end = barCloseTime(bar.time, p.timeframe);
        p.open = bar.open;
        p.high = bar.high;
        p.low = bar.low;
        p.volume = 0;
        p.whole = p.seen || bar.time === p.time;
        p.seen = true;
      } else {
        if (bar.high > p.high) p.high = bar.high;
        if (bar.low < p.low) p.low = bar.low;
      }
      p.close = bar.close;
      p.volume += bar.volume;
      if (closes >= p.end) done = this.close(p, done);
      else if (p.end < this.nextEnd) this.nextEnd = p.end;
    }
    return done;
  }

  /** Ends a period: its bar joins `done` (unless the period was entered midway), and the partial is empty. */
  private close(p: PartialBar, done: Bar[] | undefined): Bar[] | undefined {
    const open = p.open;
    p.open = Number.NaN;
    if (!p.whole) return done;
    // Read-only, as every bar a plugin is handed: one strategy cannot change it for the next.
    const bar: Bar = Object.freeze({ symbol: p.symbol, timeframe: p.timeframe, time: p.time, open, high: p.high, low: p.low, close: p.close, volume: p.volume });
    if (done === undefined) return [bar];
    done.push(bar);
    return done;
  }
}
