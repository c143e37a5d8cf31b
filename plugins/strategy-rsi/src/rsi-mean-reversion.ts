import { LinRegSlope, Rsi, SeriesMap } from '@trading-orchestrator/indicators';
import { defineStrategy, rejectBadBar, type Bar, type Signal, type SignalMetadata } from '@trading-orchestrator/plugin-api';
import { rsiConfig, type RsiConfig } from './config.js';

type Holding = 'flat' | 'long' | 'short';
export type Divergence = 'bullish' | 'bearish' | 'none';

/** What the strategy holds in a symbol: one position, whichever of the symbol's series signalled it. */
interface Book {
  holding: Holding;
}

/** The indicators of one series (symbol and timeframe). */
interface SeriesState {
  readonly rsi: Rsi;
  readonly priceSlope: LinRegSlope | undefined;
  readonly rsiSlope: LinRegSlope | undefined;
  readonly book: Book;
  lastTime: number;
}

function newState(config: RsiConfig, book: Book): SeriesState {
  const lookback = config.divergenceLookback;
  return {
    rsi: new Rsi(config.period),
    priceSlope: lookback >= 2 ? new LinRegSlope(lookback) : undefined,
    rsiSlope: lookback >= 2 ? new LinRegSlope(lookback) : undefined,
    book,
    lastTime: Number.NEGATIVE_INFINITY,
  };
}

const ONE_ENTRY = { size: 1, unit: 'entries' } as const;

/** What a signal carries besides its reason; built only for a signal, never per quiet bar. */
function signalMetadata(rsi: number, divergence: Divergence, priceSlope: number, rsiSlope: number): SignalMetadata {
  return { rsi, divergence, priceSlope: Number.isNaN(priceSlope) ? 0 : priceSlope, rsiSlope: Number.isNaN(rsiSlope) ? 0 : rsiSlope };
}

/**
 * RSI mean reversion (seed 000): buy when Wilder's RSI is below `oversold`, short when above `overbought`
 * (long-short mode, where an RSI that runs from one extreme to the other reverses the position in one order), and
 * exit once RSI has normalised back to `exitLevel`. Entries carry a stop-loss and a
 * take-profit. Divergence (price and RSI slopes of opposite sign over the look-back) strengthens an entry.
 * The strategy tracks what it holds from its own signals and from fills, so a stopped-out position is
 * flat again.
 */
export const rsiMeanReversion = defineStrategy({
  configSchema: rsiConfig,
  // What `trading-orchestrator optimize` varies unless the run file says otherwise.
  searchSpace: {
    params: { period: { type: 'int', min: 5, max: 30 }, oversold: { type: 'int', min: 10, max: 40, step: 5 }, overbought: { type: 'int', min: 60, max: 90, step: 5 } },
  },
  init(ctx) {
    const config = ctx.config;
    const books = new Map<string, Book>();
    const bookOf = (symbol: string): Book => {
      let book = books.get(symbol);
      if (book === undefined) books.set(symbol, (book = { holding: 'flat' }));
      return book;
    };
    const series = new SeriesMap((symbol) => newState(config, bookOf(symbol)));
    const lookback = config.divergenceLookback;

    const entry = (bar: Bar, side: 'buy' | 'sell', rsi: number, divergence: Divergence, priceSlope: number, rsiSlope: number): Signal => {
      const long = side === 'buy';
      const depth = long ? (config.oversold - rsi) / config.oversold : (rsi - config.overbought) / (100 - config.overbought);
      const diverges = divergence === (long ? 'bullish' : 'bearish');
      return {
        symbol: bar.symbol,
        side,
        // Long-short entries target one ordinary entry on their side, so one reversing a position does it in one order.
        ...(config.mode === 'long-short' ? { target: ONE_ENTRY } : {}),
        strength: Math.min(1, 0.5 + 0.5 * depth + (diverges ? 0.25 : 0)),
        time: bar.time,
        timeframe: bar.timeframe,
        price: bar.close,
        stopLoss: bar.close * (long ? 1 - config.stopLossPct : 1 + config.stopLossPct),
        takeProfit: bar.close * (long ? 1 + config.takeProfitPct : 1 - config.takeProfitPct),
        reason: `RSI${config.period} ${rsi.toFixed(2)} ${long ? `below oversold ${config.oversold}` : `above overbought ${config.overbought}`}${diverges ? `, ${divergence} divergence` : ''}`,
        metadata: signalMetadata(rsi, divergence, priceSlope, rsiSlope),
      };
    };

    // Signals are built and their messages formatted outside `onBar`: a number formatted into a string anywhere
    // in `onBar` made V8 box it on every bar.
    const exit = (bar: Bar, where: 'above' | 'below', rsi: number, divergence: Divergence, priceSlope: number, rsiSlope: number): Signal => ({
      symbol: bar.symbol,
      side: 'exit',
      strength: 1,
      time: bar.time,
      timeframe: bar.timeframe,
      price: bar.close,
      reason: `RSI${config.period} ${rsi.toFixed(2)} back ${where} ${config.exitLevel}`,
      metadata: signalMetadata(rsi, divergence, priceSlope, rsiSlope),
    });

    const onBar = (bar: Bar): Signal | undefined => {
      const state = series.of(bar);
      if (rejectBadBar(bar, ctx.logger, state.lastTime)) return undefined;
      state.lastTime = bar.time;
      const rsi = state.rsi.update(bar.close);
      const priceSlope = state.priceSlope?.update(bar.close) ?? Number.NaN;
      const rsiSlope = state.rsi.isStable ? (state.rsiSlope?.update(rsi) ?? Number.NaN) : Number.NaN;
      if (!state.rsi.isStable) return undefined;
      const book = state.book;
      const divergence: Divergence =
        state.rsiSlope?.isStable !== true ? 'none' : priceSlope < 0 && rsiSlope > 0 ? 'bullish' : priceSlope > 0 && rsiSlope < 0 ? 'bearish' : 'none';

      const longShort = config.mode === 'long-short';
      // In long-short mode an RSI that runs from one extreme to the other reverses the position on the bar.
      if (book.holding === 'long' && longShort && rsi > config.overbought) {
        book.holding = 'short';
        return entry(bar, 'sell', rsi, divergence, priceSlope, rsiSlope);
      }
      if (book.holding === 'short' && longShort && rsi < config.oversold) {
        book.holding = 'long';
        return entry(bar, 'buy', rsi, divergence, priceSlope, rsiSlope);
      }
      if (book.holding === 'long' && rsi >= config.exitLevel) {
        book.holding = 'flat';
        return exit(bar, 'above', rsi, divergence, priceSlope, rsiSlope);
      }
      if (book.holding === 'short' && rsi <= config.exitLevel) {
        book.holding = 'flat';
        return exit(bar, 'below', rsi, divergence, priceSlope, rsiSlope);
      }
      if (book.holding !== 'flat') return undefined;
      if (rsi < config.oversold) {
        book.holding = 'long';
        return entry(bar, 'buy', rsi, divergence, priceSlope, rsiSlope);
      }
      if (config.mode === 'long-short' && rsi > config.overbought) {
        book.holding = 'short';
        return entry(bar, 'sell', rsi, divergence, priceSlope, rsiSlope);
      }
      return undefined;
    };

    return {
      // RSI needs period + 1 closes; divergence needs lookback RSI values on top.
      warmupBars: config.period + 1,
      onBar,
      onFill(fill, position) {
        const book = books.get(fill.symbol);
        if (book === undefined) return;
        book.holding = position === undefined || position.quantity === 0 ? 'flat' : position.quantity > 0 ? 'long' : 'short';
      },
      health: () => ({ status: 'healthy', metrics: { series: series.size, divergenceLookback: lookback } }),
    };
  },
});

export default rsiMeanReversion;
