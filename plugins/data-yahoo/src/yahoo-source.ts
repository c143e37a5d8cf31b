import { setTimeout as sleep } from 'node:timers/promises';
import { DataUnavailableError, defineDataProvider, isPluginError, type Bar, type BarUpdate, type HistoricalBarsRequest, type LiveBarsRequest, type LiveQuotesRequest, type PluginLogger, type Quote, type Timeframe } from '@trading-orchestrator/plugin-api';
import { chartToBars, type ChartObject } from './chart-bars.js';
import { yahooSourceConfig, type YahooSourceConfig } from './config.js';
import { MAX_WINDOW_MS, YAHOO_INTERVALS } from './intervals.js';
import { pollLiveBars } from './live-bars.js';
import { RequestPacer } from './request-pacer.js';
import { resilientFetch, YahooUnavailable } from './resilient-fetch.js';

export interface YahooSourceOptions {
  /** The fetch Yahoo is called through: the global one by default; tests pass one that replays recorded answers. */
  readonly fetch?: typeof fetch;
}

interface YahooQuote {
  readonly symbol: string;
  readonly bid?: number;
  readonly ask?: number;
  readonly bidSize?: number;
  readonly askSize?: number;
  readonly regularMarketPrice?: number;
  readonly regularMarketTime?: Date;
}

interface YahooClient {
  chart(symbol: string, options: object, moduleOptions?: object): Promise<unknown>;
  quote(symbols: string[], options: object, moduleOptions?: object): Promise<unknown>;
}

const yahooLogger = (logger: PluginLogger) => ({
  debug: () => undefined,
  info: (...args: unknown[]) => logger.info(`yahoo-finance2: ${args.map(String).join(' ')}`),
  warn: (...args: unknown[]) => logger.warn(`yahoo-finance2: ${args.map(String).join(' ')}`),
  error: (...args: unknown[]) => logger.error(`yahoo-finance2: ${args.map(String).join(' ')}`),
  dir: () => undefined,
});

function toQuote(q: YahooQuote): Quote | undefined {
  const { bid, ask } = q;
  // Outside trading hours Yahoo reports a bid and ask of 0: there is no book to quote.
  if (bid === undefined || ask === undefined || !(bid > 0) || !(ask >= bid)) return undefined;
  return {
    symbol: q.symbol,
    time: q.regularMarketTime?.getTime() ?? Date.now(),
    bid,
    ask,
    ...(q.bidSize === undefined ? {} : { bidSize: q.bidSize }),
    ...(q.askSize === undefined ? {} : { askSize: q.askSize }),
    ...(q.regularMarketPrice === undefined ? {} : { last: q.regularMarketPrice }),
  };
}

/** A Yahoo Finance source calling Yahoo through `options.fetch`. */
export function createYahooSource(options: YahooSourceOptions = {}) {
  return defineDataProvider({
    configSchema: yahooSourceConfig,
    init(ctx) {
      const config: YahooSourceConfig = ctx.config;
      const { logger, pluginId } = ctx;
      const pacer = new RequestPacer(config.minRequestIntervalMs);
      let client: Promise<YahooClient> | undefined;
      // yahoo-finance2 is loaded on first use, so a runner that never asks Yahoo does not pay for it.
      const yahoo = (): Promise<YahooClient> =>
        (client ??= import('yahoo-finance2').then(
          ({ default: YahooFinance }) =>
            new YahooFinance({
              fetch: resilientFetch(options.fetch ?? globalThis.fetch, { pacer, timeoutMs: config.requestTimeoutMs, retries: config.retries, logger }),
              suppressNotices: ['yahooSurvey'],
              versionCheck: false,
              logger: yahooLogger(logger),
            }) as unknown as YahooClient,
        ));

      const explain = (what: string, error: unknown): Error => {
        if (isPluginError(error)) return error;
        const e = error as Error & { code?: number };
        if (error instanceof YahooUnavailable || (error as Error).cause instanceof YahooUnavailable) {
          const cause = error instanceof YahooUnavailable ? error : ((error as Error).cause as YahooUnavailable);
          return new DataUnavailableError(`Yahoo did not serve ${what}: ${cause.message}`, { pluginId, hint: 'Yahoo is unreachable, failing or rate limiting: try again later, or raise minRequestIntervalMs / retries.max', cause });
        }
        // yahoo-finance2 raises Yahoo's 404 ("No data found, symbol may be delisted") as a plain Error.
        if (e.name === 'NotFoundError' || e.code === 404 || /no data found|not found|delisted/i.test(e.message)) {
          return new DataUnavailableError(`Yahoo has no data for ${what}: ${e.message}`, { pluginId, path: 'symbol', hint: "use Yahoo's ticker as on finance.yahoo.com, e.g. BRK-B, ^GSPC, BTC-USD, EURUSD=X", cause: error });
        }
        return new DataUnavailableError(`Yahoo refused ${what}: ${e.message}`, { pluginId, hint: 'check the symbol and date range', cause: error });
      };

      const intervalOf = (timeframe: Timeframe): string => {
        const interval = YAHOO_INTERVALS[timeframe];
        if (interval === undefined) {
          throw new DataUnavailableError(`Yahoo has no ${timeframe} bars`, { pluginId, path: 'timeframe', hint: `use one of ${Object.keys(YAHOO_INTERVALS).join(', ')}` });
        }
        return interval;
      };

      async function* historicalBars(request: HistoricalBarsRequest): AsyncGenerator<readonly Bar[]> {
        const { symbol, timeframe, start, end } = request;
        const interval = intervalOf(timeframe);
        const yf = await yahoo();
        const window = MAX_WINDOW_MS[timeframe] ?? Infinity;
        let nullRows = 0;
        let last = -Infinity;
        for (let from = start; from < end; from += window) {
          const to = Math.min(end, from + window);
          let chart: ChartObject;
          try {
            chart = (await yf.chart(symbol, { period1: Math.floor(from / 1000), period2: Math.ceil(to / 1000), interval, includePrePost: config.includePrePost, events: 'div|split', return: 'object' }, request.signal ? { fetchOptions: { signal: request.signal } } : {})) as ChartObject;
          } catch (error) {
            throw explain(`${symbol} ${timeframe} bars from ${new Date(from).toISOString()}`, error);
          }
          const page = chartToBars(chart, symbol, timeframe, Math.max(from, last + 1), to, config.adjust === 'splits-and-dividends');
          nullRows += page.nullRows;
          for (const s of page.splits) logger.info(`${symbol}: ${s.ratio} split on ${new Date(s.time).toISOString().slice(0, 10)}; Yahoo's prices before it are already divided by it`, { symbol, split: s.ratio });
          if (page.badRows.length > 0) logger.warn(`${symbol} ${timeframe}: ${page.badRows.length} rows broke the bar contract and were dropped (first at ${new Date(page.badRows[0]!.time).toISOString()}: ${page.badRows[0]!.reason})`);
          if (page.bars.length === 0) continue;
          last = page.bars.at(-1)!.time;
          yield page.bars;
        }
        if (nullRows > 0) logger.info(`${symbol} ${timeframe}: ${nullRows} rows without prices skipped (Yahoo sends them for intervals without trades)`, { symbol, nullRows });
      }

      const fetchQuotes = async (symbols: readonly string[], signal?: AbortSignal): Promise<Map<string, Quote | undefined>> => {
        let answer: YahooQuote[];
        try {
          answer = (await (await yahoo()).quote([...symbols], { return: 'array' }, signal ? { fetchOptions: { signal } } : {})) as YahooQuote[];
        } catch (error) {
          throw explain(`quotes of ${symbols.join(', ')}`, error);
        }
        return new Map(answer.map((q) => [q.symbol, toQuote(q)]));
      };

      /** One chart request's bars in [start, end), for the live feed. */
      const chartWindow = (timeframe: Timeframe) => {
        const interval = intervalOf(timeframe);
        return async (symbol: string, start: number, end: number, signal: AbortSignal): Promise<readonly Bar[]> => {
          let chart: ChartObject;
          try {
            chart = (await (await yahoo()).chart(symbol, { period1: Math.floor(start / 1000), period2: Math.ceil(end / 1000), interval, includePrePost: config.includePrePost, return: 'object' }, { fetchOptions: { signal } })) as ChartObject;
          } catch (error) {
            throw explain(`live ${symbol} ${timeframe} bars`, error);
          }
          return chartToBars(chart, symbol, timeframe, start, end, config.adjust === 'splits-and-dividends').bars;
        };
      };

      return {
        historicalBars,

        async *liveBars(request: LiveBarsRequest): AsyncGenerator<BarUpdate> {
          const window = chartWindow(request.timeframe);
          yield* pollLiveBars(request, window, { clock: ctx.clock, pollIntervalMs: config.pollIntervalMs, closeDelayMs: config.barCloseDelayMs }, AbortSignal.any([ctx.signal, request.signal]));
        },

        async quote(symbol: string): Promise<Quote> {
          const quotes = await fetchQuotes([symbol]);
          if (!quotes.has(symbol)) throw explain(symbol, Object.assign(new Error('no quote returned'), { name: 'NotFoundError' }));
          const quote = quotes.get(symbol);
          if (quote === undefined) throw new DataUnavailableError(`Yahoo has no bid and ask for ${symbol} right now`, { pluginId, hint: 'outside trading hours Yahoo reports no book; use the last bar instead' });
          return quote;
        },

        async *liveQuotes(request: LiveQuotesRequest): AsyncGenerator<Quote> {
          const signal = AbortSignal.any([ctx.signal, request.signal]);
          const last = new Map<string, Quote>();
          while (!signal.aborted) {
            let quotes: Map<string, Quote | undefined>;
            try {
              quotes = await fetchQuotes(request.symbols, signal);
            } catch (error) {
              if (signal.aborted) return;
              throw error;
            }
            for (const symbol of request.symbols) {
              const q = quotes.get(symbol);
              const seen = last.get(symbol);
              if (q === undefined || (seen !== undefined && seen.time === q.time && seen.bid === q.bid && seen.ask === q.ask)) continue;
              last.set(symbol, q);
              yield q;
            }
            try {
              await sleep(config.pollIntervalMs, undefined, { signal });
            } catch {
              return;
            }
          }
        },
      };
    },
  });
}

/** Yahoo Finance bars (history, and live by polling) and quotes, called over the network. */
export const yahooSource = createYahooSource();
