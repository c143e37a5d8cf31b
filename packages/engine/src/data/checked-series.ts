import { checkBar, DataUnavailableError, isPluginError, type Bar, type Timeframe } from '@trading-orchestrator/plugin-api';

/** Why the host refused a bar a data plugin gave it. */
export type BarRefusal = 'BAD_BAR' | 'WRONG_SERIES' | 'OUT_OF_RANGE' | 'FROM_THE_FUTURE' | 'DUPLICATE' | 'OUT_OF_ORDER';

export interface RefusedBar {
  readonly pluginId: string;
  readonly symbol: string;
  readonly code: BarRefusal;
  readonly message: string;
  /** The bar's time, when it has one. */
  readonly time: number | undefined;
}

export interface SeriesCheck {
  /** The data plugin, named in every refusal and error. */
  readonly pluginId: string;
  readonly symbol: string;
  readonly timeframe: Timeframe;
  /** Bars opening before `start` or at or after `end` were not asked for (a backtest's span). */
  readonly start?: number;
  readonly end?: number;
  /** Wall-clock time, for a live feed: a bar opening more than `FUTURE_TOLERANCE_MS` after `now()` comes from the future. */
  readonly now?: () => number;
  /** A page that does not come within this long is a stalled source (default 60 s). */
  readonly stallMs?: number;
  readonly onRefused: (refused: RefusedBar) => void;
}

/**
 * How far past the host's clock a live bar may open before it is refused as from the future. Generous on purpose:
 * the exchange's clock and this machine's differ, and replayed or simulated feeds run ahead; what it catches is a
 * timestamp that is wrong (seconds taken for milliseconds, a year of 2099), not a skewed clock.
 */
export const FUTURE_TOLERANCE_MS = 86_400_000;

const iso = (t: number) => (Number.isFinite(t) ? new Date(t).toISOString() : String(t));

/**
 * What the host lets through of one series a data plugin serves: every bar is checked once, here, before the engine,
 * the ledger, the broker or any strategy sees it. A bar that breaks the bar contract (a NaN price, high below low,
 * negative volume), belongs to another series, lies outside the span asked for or in the future, or does not come
 * after the series' last bar (a duplicate, or out of order) is refused and reported with the data plugin's name; the
 * series goes on. Every bar let through is frozen, so no plugin can change it for another (checks and freezing: 45–55 ns a bar, bench/checked-series.bench.mjs). A
 * source that throws is named in the error; one that sends nothing for `stallMs` is timed out.
 */
export async function* checkedSeries(pages: AsyncIterable<readonly Bar[]>, check: SeriesCheck): AsyncGenerator<readonly Bar[]> {
  const { pluginId, symbol, timeframe } = check;
  const start = check.start ?? Number.NEGATIVE_INFINITY;
  const end = check.end ?? Number.POSITIVE_INFINITY;
  const stallMs = check.stallMs ?? 60_000;
  const refuse = (code: BarRefusal, message: string, time: number | undefined) => check.onRefused({ pluginId, symbol, code, message, time });
  let last = Number.NEGATIVE_INFINITY;
  const source = pages[Symbol.asyncIterator]();
  try {
    for (;;) {
      let step: IteratorResult<readonly Bar[]>;
      try {
        step = await withinStall(source.next(), stallMs, () => `data plugin "${pluginId}" sent no ${symbol} ${timeframe} bars for ${stallMs / 1000} s`);
      } catch (error) {
        throw named(error, pluginId, symbol);
      }
      if (step.done === true) return;
      const page = step.value;
      if (!Array.isArray(page)) throw new DataUnavailableError(`data plugin "${pluginId}" gave ${symbol} bars as ${typeof page}, not as an array of bars`, { pluginId, hint: 'a bug in the data plugin: report it to its author' });
      let kept: Bar[] | undefined;
      for (let i = 0; i < page.length; i++) {
        const bar = page[i] as Bar;
        const problem = barProblem(bar, symbol, timeframe, start, end, check.now, last);
        if (problem === undefined) {
          last = bar.time;
          // Read-only from here on: no strategy, risk plugin or broker can change it for the others.
          Object.freeze(bar);
          if (kept !== undefined) kept.push(bar);
          continue;
        }
        // The page is copied only from its first refused bar on: good pages pass as they came.
        if (kept === undefined) kept = page.slice(0, i) as Bar[];
        refuse(problem[0], problem[1], typeof bar === 'object' && bar !== null && Number.isFinite(bar.time) ? bar.time : undefined);
      }
      const out = kept ?? page;
      if (out.length > 0) yield out;
    }
  } finally {
    void source.return?.()?.catch?.(() => undefined);
  }
}

/**
 * Why the host refuses `bar` of the series `symbol`/`timeframe` whose last accepted bar opened at `last`, or
 * undefined when it takes it. A live feed passes `now`; a backtest its span.
 */
export function barProblem(bar: Bar, symbol: string, timeframe: Timeframe, start: number, end: number, now: (() => number) | undefined, last: number): [BarRefusal, string] | undefined {
  // The common case first, with no message in reach: V8 boxes a double a function formats into a string.
  if (typeof bar === 'object' && bar !== null && bar.symbol === symbol && bar.timeframe === timeframe && bar.time >= start && bar.time < end && bar.time > last && (now === undefined || bar.time <= now() + FUTURE_TOLERANCE_MS) && checkBar(bar) === undefined) return undefined;
  return whyRefused(bar, symbol, timeframe, start, end, now, last);
}

function whyRefused(bar: Bar, symbol: string, timeframe: Timeframe, start: number, end: number, now: (() => number) | undefined, last: number): [BarRefusal, string] | undefined {
  const problem = typeof bar !== 'object' || bar === null ? 'not a bar object' : checkBar(bar);
  if (problem !== undefined) return ['BAD_BAR', problem];
  if (bar.symbol !== symbol || bar.timeframe !== timeframe) return ['WRONG_SERIES', `a ${bar.symbol} ${bar.timeframe} bar came in the ${symbol} ${timeframe} series`];
  if (bar.time < start || bar.time >= end) return ['OUT_OF_RANGE', `a bar of ${iso(bar.time)} lies outside the span asked for (${iso(start)} to ${iso(end)})`];
  if (now !== undefined && bar.time > now() + FUTURE_TOLERANCE_MS) return ['FROM_THE_FUTURE', `a bar of ${iso(bar.time)} opens more than a day after this machine's clock (${iso(now())})`];
  if (bar.time === last) return ['DUPLICATE', `a second bar of ${iso(bar.time)}`];
  if (bar.time < last) return ['OUT_OF_ORDER', `a bar of ${iso(bar.time)} came after one of ${iso(last)}`];
  return undefined;
}

/** Resolves with `promise` unless it takes longer than `ms`, which rejects with a DATA_UNAVAILABLE error. */
async function withinStall<T>(promise: Promise<T>, ms: number, message: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new DataUnavailableError(message(), { hint: 'check the data source (network, files); a data plugin that waits on something should give up and throw with a reason' })), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** A data plugin's error with the plugin named: its own typed error as it is, anything else wrapped. */
function named(error: unknown, pluginId: string, symbol: string): Error {
  if (isPluginError(error)) return error.pluginId === undefined ? Object.assign(error, { pluginId }) : error;
  const message = error instanceof Error ? error.message : String(error);
  return new DataUnavailableError(`data plugin "${pluginId}" failed while reading ${symbol}: ${message}`, { pluginId, hint: 'a bug or a failure in the data plugin: the message above is its own' });
}
