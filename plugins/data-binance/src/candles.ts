import { checkBar, type Bar, type Timeframe } from '@trading-orchestrator/plugin-api';

/** ccxt's candle: [open time, open, high, low, close, base volume]. */
export type Candle = readonly (number | undefined)[];

export interface CandleBatch {
  /** Sound bars after `after`, ascending, one per open time (the last copy of a repeated candle wins). */
  readonly bars: Bar[];
  /** Candles that break the bar contract, with the reason. */
  readonly rejected: { readonly time: number | undefined; readonly reason: string }[];
}

/** Orders, de-duplicates and checks candles as the exchange sent them, keeping those opening after `after`. */
export function toBars(candles: readonly Candle[], symbol: string, timeframe: Timeframe, after: number, before = Infinity): CandleBatch {
  const byTime = new Map<number, Bar>();
  const rejected: CandleBatch['rejected'] = [];
  for (const c of candles) {
    const bar = { symbol, timeframe, time: c[0] as number, open: c[1] as number, high: c[2] as number, low: c[3] as number, close: c[4] as number, volume: c[5] as number };
    const reason = checkBar(bar);
    if (reason !== undefined) rejected.push({ time: c[0], reason });
    else if (bar.time > after && bar.time < before) byTime.set(bar.time, bar);
  }
  return { bars: [...byTime.values()].sort((a, b) => a.time - b.time), rejected };
}

export interface Gap {
  /** Open time of the last bar before the hole. */
  readonly after: number;
  /** Open time of the first bar after it. */
  readonly before: number;
  readonly missingBars: number;
}

/** Holes between consecutive bars of a fixed-length timeframe, continuing from the bar that opened at `previous`. */
export function findGaps(bars: readonly Bar[], timeframeMs: number, previous: number | undefined): Gap[] {
  const gaps: Gap[] = [];
  let prev = previous;
  for (const bar of bars) {
    if (prev !== undefined && bar.time - prev > timeframeMs) gaps.push({ after: prev, before: bar.time, missingBars: Math.round((bar.time - prev) / timeframeMs) - 1 });
    prev = bar.time;
  }
  return gaps;
}
