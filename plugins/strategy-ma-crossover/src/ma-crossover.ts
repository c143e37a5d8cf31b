import { Ema, SeriesMap, Sma } from '@trading-orchestrator/indicators';
import { defineStrategy, rejectBadBar, type Bar, type Signal } from '@trading-orchestrator/plugin-api';
import { maCrossoverConfig, type MaCrossoverConfig } from './config.js';

interface SeriesState {
  readonly fast: Sma | Ema;
  readonly slow: Sma | Ema;
  /** fast − slow on the previous bar; NaN until both averages are defined. */
  previousSpread: number;
  lastTime: number;
}

function newState(config: MaCrossoverConfig): SeriesState {
  const make = (period: number) => (config.average === 'ema' ? new Ema(period) : new Sma(period));
  return { fast: make(config.fast), slow: make(config.slow), previousSpread: Number.NaN, lastTime: Number.NEGATIVE_INFINITY };
}

/** In long-short mode every cross takes the position to one ordinary entry on its side: a reversal in one order. */
const ONE_ENTRY = { size: 1, unit: 'entries' } as const;

/**
 * Moving-average crossover (seed 000): a golden cross (fast crosses above slow) buys; a death cross exits. In
 * long-short mode each cross targets a position of one ordinary entry on its side, so a death cross while long
 * reverses to a short (and a golden cross while short to a long) on one bar, with one order. Confidence grows with
 * the spread between the averages on the crossing bar.
 */
export const maCrossover = defineStrategy({
  configSchema: maCrossoverConfig,
  // What `trading-orchestrator optimize` varies unless the run file says otherwise.
  searchSpace: {
    params: { fast: { type: 'int', min: 3, max: 50 }, slow: { type: 'int', min: 10, max: 200, step: 5 }, average: { type: 'choice', values: ['sma', 'ema'] } },
    conditions: ['fast < slow'],
  },
  init(ctx) {
    const config = ctx.config;
    // One pair of averages per series: given hourly and four-hour bars of a symbol, it watches two crossings.
    const series = new SeriesMap(() => newState(config));
    const name = config.average.toUpperCase();

    const onBar = (bar: Bar): Signal | undefined => {
      const state = series.of(bar);
      if (rejectBadBar(bar, ctx.logger, state.lastTime)) return undefined;
      state.lastTime = bar.time;
      const fast = state.fast.update(bar.close);
      const slow = state.slow.update(bar.close);
      if (!state.slow.isStable) return undefined;
      const spread = fast - slow;
      const previous = state.previousSpread;
      state.previousSpread = spread;
      if (previous !== previous) return undefined;
      const golden = previous <= 0 && spread > 0;
      const death = previous >= 0 && spread < 0;
      if (!golden && !death) return undefined;
      const strength = Math.min(1, Math.abs(spread) / slow / config.fullConfidenceSpread);
      if (strength < config.minConfidence) return undefined;
      const cross = golden ? 'golden cross' : 'death cross';
      const longShort = config.mode === 'long-short';
      return {
        symbol: bar.symbol,
        side: golden ? 'buy' : longShort ? 'sell' : 'exit',
        ...(longShort ? { target: ONE_ENTRY } : {}),
        strength,
        time: bar.time,
        timeframe: bar.timeframe,
        price: bar.close,
        reason: `${cross}: ${name}${config.fast} ${golden ? 'crossed above' : 'crossed below'} ${name}${config.slow}`,
        metadata: { fastMa: fast, slowMa: slow, spread, spreadPct: spread / slow },
      };
    };

    return {
      warmupBars: config.slow + 1,
      onBar,
      health: () => ({ status: 'healthy', metrics: { series: series.size } }),
    };
  },
});

export default maCrossover;
