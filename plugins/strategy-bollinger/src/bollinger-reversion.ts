import { BollingerBands, SeriesMap } from '@trading-orchestrator/indicators';
import { defineStrategy, rejectBadBar, type Bar, type Signal, type SignalMetadata } from '@trading-orchestrator/plugin-api';
import { bollingerConfig, type BollingerConfig } from './config.js';

/** What the strategy holds in a symbol: one position, whichever of the symbol's series signalled it. */
interface Book {
  holding: 'flat' | 'long' | 'short';
  /** Levels of the open trade; once the close reaches either the strategy is flat again. */
  takeProfit: number;
  stopLoss: number;
}

/** The bands of one series (symbol and timeframe). */
interface SeriesState {
  readonly bands: BollingerBands;
  readonly book: Book;
  lastTime: number;
}

const newState = (config: BollingerConfig, book: Book): SeriesState => ({
  bands: new BollingerBands(config.period, config.k),
  book,
  lastTime: Number.NEGATIVE_INFINITY,
});

/**
 * Bollinger Band mean reversion (seed 001): buy a close below the lower band, sell (or exit) a close above the
 * upper band. The take-profit is the middle band and the stop sits `stopSigma` σ beyond the band. Confidence
 * grows with the distance beyond the band (0.5 at the band, 1 at one σ beyond), and the size hint is
 * confidence × kellyFraction.
 */
/** The bands a signal was taken against; built only for a signal, never per quiet bar. */
function bandsMetadata(bands: BollingerBands, close: number): SignalMetadata {
  return { upper: bands.upper, middle: bands.middle, lower: bands.lower, deviation: bands.deviation, percentB: bands.percentB(close) };
}

/**
 * The exit on a close above the upper band. Its message is formatted here, not in `onBar`: a price formatted
 * into a string anywhere in `onBar` made V8 box the close on every bar (about 50 ns a bar).
 */
function exit(bar: Bar, bands: BollingerBands): Signal {
  const reason = `close ${bar.close} above the upper band ${bands.upper.toFixed(4)}`;
  return { symbol: bar.symbol, side: 'exit', strength: 1, time: bar.time, timeframe: bar.timeframe, price: bar.close, reason, metadata: bandsMetadata(bands, bar.close) };
}

const ONE_ENTRY = { size: 1, unit: 'entries' } as const;

/** An entry at the bar's close with its bracket at the levels just set in the symbol's book. */
function entry(bar: Bar, s: SeriesState, config: BollingerConfig, side: 'buy' | 'sell', strength: number): Signal {
  const where = side === 'buy' ? `below the lower band ${s.bands.lower.toFixed(4)}` : `above the upper band ${s.bands.upper.toFixed(4)}`;
  return {
    symbol: bar.symbol,
    side,
    strength,
    time: bar.time,
    timeframe: bar.timeframe,
    price: bar.close,
    // Long-short entries target one ordinary entry on their side, so one reversing a position does it in one order.
    ...(config.mode === 'long-short' ? { target: ONE_ENTRY } : {}),
    stopLoss: s.book.stopLoss,
    takeProfit: s.book.takeProfit,
    sizeHint: strength * config.kellyFraction,
    reason: `close ${bar.close} ${where} (BB${config.period}, ${config.k}σ)`,
    metadata: bandsMetadata(s.bands, bar.close),
  };
}

export const bollingerReversion = defineStrategy({
  configSchema: bollingerConfig,
  // What `trading-orchestrator optimize` varies unless the run file says otherwise.
  searchSpace: {
    params: { period: { type: 'int', min: 10, max: 60, step: 5 }, k: { type: 'float', min: 1, max: 3, step: 0.25 } },
  },
  init(ctx) {
    const config = ctx.config;
    const books = new Map<string, Book>();
    const bookOf = (symbol: string): Book => {
      let book = books.get(symbol);
      if (book === undefined) books.set(symbol, (book = { holding: 'flat', takeProfit: Number.NaN, stopLoss: Number.NaN }));
      return book;
    };
    const series = new SeriesMap((symbol) => newState(config, bookOf(symbol)));

    const onBar = (bar: Bar): Signal | undefined => {
      const s = series.of(bar);
      if (rejectBadBar(bar, ctx.logger, s.lastTime)) return undefined;
      s.lastTime = bar.time;
      const close = bar.close;
      if (!s.bands.update(close)) return undefined;
      const { upper, middle, lower, deviation } = s.bands;
      const b = s.book;
      // The bracket orders close the trade at these levels; follow them so the next setup can be taken.
      if (b.holding === 'long' && (close >= b.takeProfit || close <= b.stopLoss)) b.holding = 'flat';
      if (b.holding === 'short' && (close <= b.takeProfit || close >= b.stopLoss)) b.holding = 'flat';
      if (deviation === 0) return undefined;
      const longShort = config.mode === 'long-short';
      // In long-short mode a close beyond the far band reverses what is held, in one order.
      if (close < lower && (b.holding === 'flat' || (longShort && b.holding === 'short'))) {
        const strength = Math.min(1, 0.5 + (0.5 * (lower - close)) / deviation);
        b.holding = 'long';
        b.takeProfit = middle;
        b.stopLoss = Math.min(lower, close) - config.stopSigma * deviation;
        return entry(bar, s, config, 'buy', strength);
      }
      if (close > upper) {
        if (b.holding === 'long' && !longShort) {
          b.holding = 'flat';
          return exit(bar, s.bands);
        }
        if (longShort && b.holding !== 'short') {
          const strength = Math.min(1, 0.5 + (0.5 * (close - upper)) / deviation);
          b.holding = 'short';
          b.takeProfit = middle;
          b.stopLoss = Math.max(upper, close) + config.stopSigma * deviation;
          return entry(bar, s, config, 'sell', strength);
        }
      }
      return undefined;
    };

    return {
      warmupBars: config.period,
      onBar,
      onFill(fill, position) {
        const b = books.get(fill.symbol);
        if (b !== undefined) b.holding = position === undefined || position.quantity === 0 ? 'flat' : position.quantity > 0 ? 'long' : 'short';
      },
      health: () => ({ status: 'healthy', metrics: { series: series.size } }),
    };
  },
});

export default bollingerReversion;
