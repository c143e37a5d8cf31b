import { BollingerBands } from '@trading-orchestrator/indicators';
import { defineStrategy, rejectBadBar, type Bar, type Signal, type SignalMetadata } from '@trading-orchestrator/plugin-api';
import { bollingerConfig, type BollingerConfig } from './config.js';

interface SymbolState {
  readonly bands: BollingerBands;
  holding: 'flat' | 'long' | 'short';
  /** Levels of the open trade; once the close reaches either the strategy is flat again. */
  takeProfit: number;
  stopLoss: number;
  lastTime: number;
}

const newState = (config: BollingerConfig): SymbolState => ({
  bands: new BollingerBands(config.period, config.k),
  holding: 'flat',
  takeProfit: Number.NaN,
  stopLoss: Number.NaN,
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

/** An entry at the bar's close with its bracket at the levels just set on the symbol's state. */
function entry(bar: Bar, s: SymbolState, config: BollingerConfig, side: 'buy' | 'sell', strength: number): Signal {
  const where = side === 'buy' ? `below the lower band ${s.bands.lower.toFixed(4)}` : `above the upper band ${s.bands.upper.toFixed(4)}`;
  return {
    symbol: bar.symbol,
    side,
    strength,
    time: bar.time,
    timeframe: bar.timeframe,
    price: bar.close,
    stopLoss: s.stopLoss,
    takeProfit: s.takeProfit,
    sizeHint: strength * config.kellyFraction,
    reason: `close ${bar.close} ${where} (BB${config.period}, ${config.k}σ)`,
    metadata: bandsMetadata(s.bands, bar.close),
  };
}

export const bollingerReversion = defineStrategy({
  configSchema: bollingerConfig,
  init(ctx) {
    const config = ctx.config;
    const symbols = new Map<string, SymbolState>();

    const onBar = (bar: Bar): Signal | undefined => {
      let s = symbols.get(bar.symbol);
      if (rejectBadBar(bar, ctx.logger, s?.lastTime)) return undefined;
      if (s === undefined) symbols.set(bar.symbol, (s = newState(config)));
      s.lastTime = bar.time;
      const close = bar.close;
      if (!s.bands.update(close)) return undefined;
      const { upper, middle, lower, deviation } = s.bands;
      // The bracket orders close the trade at these levels; follow them so the next setup can be taken.
      if (s.holding === 'long' && (close >= s.takeProfit || close <= s.stopLoss)) s.holding = 'flat';
      if (s.holding === 'short' && (close <= s.takeProfit || close >= s.stopLoss)) s.holding = 'flat';
      if (deviation === 0) return undefined;
      if (close < lower && s.holding === 'flat') {
        const strength = Math.min(1, 0.5 + (0.5 * (lower - close)) / deviation);
        s.holding = 'long';
        s.takeProfit = middle;
        s.stopLoss = Math.min(lower, close) - config.stopSigma * deviation;
        return entry(bar, s, config, 'buy', strength);
      }
      if (close > upper) {
        if (s.holding === 'long') {
          s.holding = 'flat';
          return exit(bar, s.bands);
        }
        if (config.mode === 'long-short' && s.holding === 'flat') {
          const strength = Math.min(1, 0.5 + (0.5 * (close - upper)) / deviation);
          s.holding = 'short';
          s.takeProfit = middle;
          s.stopLoss = Math.max(upper, close) + config.stopSigma * deviation;
          return entry(bar, s, config, 'sell', strength);
        }
      }
      return undefined;
    };

    return {
      warmupBars: config.period,
      onBar,
      onFill(fill, position) {
        const s = symbols.get(fill.symbol);
        if (s !== undefined) s.holding = position === undefined || position.quantity === 0 ? 'flat' : position.quantity > 0 ? 'long' : 'short';
      },
      health: () => ({ status: 'healthy', metrics: { symbols: symbols.size } }),
    };
  },
});

export default bollingerReversion;
