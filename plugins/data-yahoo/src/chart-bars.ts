import { checkBar, type Bar, type Timeframe } from '@trading-orchestrator/plugin-api';

/** The parts of yahoo-finance2's `chart(..., { return: 'object' })` result that bars are made from. */
export interface ChartObject {
  readonly timestamp?: readonly number[] | undefined;
  readonly indicators: {
    readonly quote: readonly { readonly open: readonly (number | null)[]; readonly high: readonly (number | null)[]; readonly low: readonly (number | null)[]; readonly close: readonly (number | null)[]; readonly volume: readonly (number | null)[] }[];
    readonly adjclose?: readonly { readonly adjclose?: readonly (number | null)[] | undefined }[] | undefined;
  };
  readonly events?: {
    readonly dividends?: Readonly<Record<string, { readonly amount: number; readonly date: Date }>> | undefined;
    readonly splits?: Readonly<Record<string, { readonly date: Date; readonly splitRatio: string }>> | undefined;
  } | undefined;
}

export interface ChartBars {
  readonly bars: Bar[];
  /** Rows Yahoo sent with a missing price (it does for minutes without trades, and around halts). */
  readonly nullRows: number;
  /** Rows that have prices but break the bar contract. */
  readonly badRows: { readonly time: number; readonly reason: string }[];
  readonly splits: { readonly time: number; readonly ratio: string }[];
  readonly dividends: { readonly time: number; readonly amount: number }[];
}

/**
 * Bars in [start, end) from one chart answer, ascending and one per time. Yahoo's OHLC come split-adjusted; with
 * `adjustDividends` each bar is also scaled by adjclose / close, Yahoo's own split-and-dividend factor.
 */
export function chartToBars(chart: ChartObject, symbol: string, timeframe: Timeframe, start: number, end: number, adjustDividends: boolean): ChartBars {
  const times = chart.timestamp ?? [];
  const quote = chart.indicators.quote[0];
  const adjclose = chart.indicators.adjclose?.[0]?.adjclose;
  const byTime = new Map<number, Bar>();
  let nullRows = 0;
  const badRows: ChartBars['badRows'] = [];
  for (let i = 0; i < times.length && quote !== undefined; i++) {
    const time = times[i]! * 1000;
    if (time < start || time >= end) continue;
    const [o, h, l, c] = [quote.open[i], quote.high[i], quote.low[i], quote.close[i]];
    if (o == null || h == null || l == null || c == null) {
      nullRows++;
      continue;
    }
    const factor = adjustDividends && adjclose?.[i] != null ? adjclose[i]! / c : 1;
    const bar: Bar = { symbol, timeframe, time, open: o * factor, high: h * factor, low: l * factor, close: c * factor, volume: quote.volume[i] ?? 0 };
    const reason = checkBar(bar);
    if (reason === undefined) byTime.set(time, bar);
    else badRows.push({ time, reason });
  }
  return {
    bars: [...byTime.values()].sort((a, b) => a.time - b.time),
    nullRows,
    badRows,
    splits: Object.values(chart.events?.splits ?? {}).map((s) => ({ time: s.date.getTime(), ratio: s.splitRatio })),
    dividends: Object.values(chart.events?.dividends ?? {}).map((d) => ({ time: d.date.getTime(), amount: d.amount })),
  };
}
