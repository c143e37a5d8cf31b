import { DataUnavailableError, defineDataProvider, isPluginError, type Bar, type BarUpdate, type HistoricalBarsRequest, type InstrumentSpec, type LiveBarsRequest, type LiveQuotesRequest, type LiveTicksRequest, type Quote, type Tick } from '@trading-orchestrator/plugin-api';
import { binanceSourceConfig, type BinanceSourceConfig } from './config.js';
import { checkSymbol, checkTimeframe, createClient, instrumentOf, type BinanceClient } from './exchange.js';
import { paginateBars, restPages, type FetchCandles } from './historical-bars.js';
import { streamBars } from './live-bars.js';
import { streamQuotes, tickerToQuote } from './live-quotes.js';
import { streamTicks } from './live-ticks.js';
import { RetriesExhausted, withRetries, type RetryOptions } from './retry.js';

/**
 * Binance spot market data through ccxt: paginated history, live bars and quotes over websockets. Public data
 * needs no keys. ccxt is loaded when the plugin starts, not when the runner loads it.
 */
export const binanceSource = defineDataProvider({
  configSchema: binanceSourceConfig,
  init(ctx) {
    const config: BinanceSourceConfig = ctx.config;
    const { logger, pluginId } = ctx;
    let rest: Promise<BinanceClient> | undefined;
    const sockets = new Set<BinanceClient>();

    const retrying = (client: BinanceClient, what: string, signal?: AbortSignal): RetryOptions => ({
      ...config.retries,
      signal: signal === undefined ? ctx.signal : AbortSignal.any([ctx.signal, signal]),
      lastHeaders: () => client.last_response_headers as Record<string, unknown> | undefined,
      onRetry: ({ attempt, delayMs, error, kind }) =>
        logger.warn(`Binance ${what}: ${kind === 'rate-limited' ? 'rate limited' : 'failed'} (${(error as Error).message}); retry ${attempt} of ${config.retries.max} in ${delayMs} ms`, { attempt, delayMs }),
    });

    /** Turns what ccxt threw into an error that says what was asked and what to do. */
    const explain = (what: string, error: unknown): Error => {
      if (isPluginError(error)) return error;
      if (error instanceof RetriesExhausted) {
        return new DataUnavailableError(`Binance did not serve ${what}: ${error.message}`, {
          pluginId,
          hint: 'the exchange is unreachable, failing or rate limiting: try again later, or raise retries.max / rateLimitMs',
          cause: error.cause,
        });
      }
      return new DataUnavailableError(`Binance refused ${what}: ${(error as Error).message}`, { pluginId, hint: 'check the symbol, timeframe and keys in the config', cause: error });
    };

    const restClient = (): Promise<BinanceClient> => {
      rest ??= (async () => {
        const client = await createClient(config);
        try {
          await withRetries(() => client.loadMarkets(), retrying(client, 'markets'));
        } catch (error) {
          rest = undefined;
          throw explain('its list of markets', error);
        }
        return client;
      })();
      return rest;
    };

    const pages = (client: BinanceClient, signal?: AbortSignal): FetchCandles => {
      const fetch = restPages(client, config.pageSize);
      return async (symbol, timeframe, since, until) => {
        const what = `${symbol} ${timeframe} candles from ${new Date(since).toISOString()}`;
        try {
          return await withRetries(() => fetch(symbol, timeframe, since, until), retrying(client, what, signal));
        } catch (error) {
          throw explain(what, error);
        }
      };
    };

    /** A websocket client of its own per stream, so closing one stream's socket leaves the others alone. */
    const socketClient = async (): Promise<BinanceClient> => {
      const markets = await restClient();
      const client = await createClient(config);
      client.setMarkets(markets.markets);
      sockets.add(client);
      return client;
    };
    const release = async (client: BinanceClient): Promise<void> => {
      sockets.delete(client);
      await client.close().catch(() => undefined);
    };

    return {
      async start() {
        await restClient();
      },

      async *historicalBars(request: HistoricalBarsRequest): AsyncGenerator<readonly Bar[]> {
        const client = await restClient();
        const symbol = checkSymbol(client, request.symbol, pluginId);
        checkTimeframe(client, request.timeframe, pluginId);
        yield* paginateBars(pages(client, request.signal), config.pageSize, { ...request, symbol }, logger);
      },

      async *liveBars(request: LiveBarsRequest): AsyncGenerator<BarUpdate> {
        const markets = await restClient();
        const symbols = request.symbols.map((s, i) => checkSymbol(markets, s, pluginId, `symbols[${i}]`));
        checkTimeframe(markets, request.timeframe, pluginId);
        const signal = AbortSignal.any([ctx.signal, request.signal]);
        try {
          yield* streamBars({ open: socketClient, close: release, fetchPage: pages(markets, signal), reconnect: config.reconnect, stallTimeoutMs: config.stallTimeoutMs, logger }, { symbols, timeframe: request.timeframe, signal });
        } catch (error) {
          throw explain(`live ${request.timeframe} bars of ${symbols.join(', ')}`, error);
        }
      },

      async *liveQuotes(request: LiveQuotesRequest): AsyncGenerator<Quote> {
        const markets = await restClient();
        const symbols = request.symbols.map((s, i) => checkSymbol(markets, s, pluginId, `symbols[${i}]`));
        const signal = AbortSignal.any([ctx.signal, request.signal]);
        try {
          yield* streamQuotes({ open: socketClient, close: release, reconnect: config.reconnect, stallTimeoutMs: config.stallTimeoutMs, logger }, { symbols, signal }, () => ctx.clock.now());
        } catch (error) {
          throw explain(`live quotes of ${symbols.join(', ')}`, error);
        }
      },

      async *liveTicks(request: LiveTicksRequest): AsyncGenerator<Tick> {
        const markets = await restClient();
        const symbols = request.symbols.map((s, i) => checkSymbol(markets, s, pluginId, `symbols[${i}]`));
        const signal = AbortSignal.any([ctx.signal, request.signal]);
        try {
          yield* streamTicks({ open: socketClient, close: release, reconnect: config.reconnect, stallTimeoutMs: config.stallTimeoutMs, logger }, { symbols, signal });
        } catch (error) {
          throw explain(`live trades of ${symbols.join(', ')}`, error);
        }
      },

      async quote(symbol: string): Promise<Quote> {
        const client = await restClient();
        const unified = checkSymbol(client, symbol, pluginId);
        let ticker: Parameters<typeof tickerToQuote>[1];
        try {
          ticker = await withRetries(() => client.fetchTicker(unified), retrying(client, `the ${unified} ticker`));
        } catch (error) {
          throw explain(`the ${unified} ticker`, error);
        }
        const quote = tickerToQuote(unified, ticker, ctx.clock.now());
        if (quote === undefined) throw new DataUnavailableError(`Binance has no two-sided book for ${unified} right now`, { pluginId, hint: 'the market may be halted; try again later' });
        return quote;
      },

      async symbols(): Promise<readonly string[]> {
        return Object.keys((await restClient()).markets ?? {}).sort();
      },

      async instruments(symbols: readonly string[]): Promise<readonly InstrumentSpec[]> {
        const client = await restClient();
        return symbols.flatMap((symbol) => {
          const market = client.markets?.[symbol];
          return market === undefined ? [] : [instrumentOf(symbol, market)];
        });
      },

      async stop() {
        await Promise.all([...sockets].map(release));
        const client = await rest?.catch(() => undefined);
        await client?.close().catch(() => undefined);
        rest = undefined;
      },
    };
  },
});
