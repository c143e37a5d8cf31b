import { defineIndicator, rejectBadBar, type Bar } from '@trading-orchestrator/plugin-api';
import { z } from 'zod';
import { Atr } from '../streaming/atr.js';
import { BollingerBands } from '../streaming/bollinger.js';
import { Ema } from '../streaming/ema.js';
import { LinRegSlope } from '../streaming/linreg-slope.js';
import { Macd } from '../streaming/macd.js';
import { RollingMax, RollingMin } from '../streaming/rolling-extremum.js';
import { Rsi } from '../streaming/rsi.js';
import { Sma } from '../streaming/sma.js';
import { RollingStdDev } from '../streaming/std-dev.js';
import { Wma } from '../streaming/wma.js';

const period = z.number().int().min(1).max(10_000);

/** Which calculator the plugin instance runs, and with which parameters. */
export const indicatorPackConfig = z.discriminatedUnion('indicator', [
  z.object({ indicator: z.literal('sma'), period: period.default(20) }),
  z.object({ indicator: z.literal('ema'), period: period.default(20), seed: z.enum(['sma', 'first']).default('sma') }),
  z.object({ indicator: z.literal('wma'), period: period.default(20) }),
  z.object({ indicator: z.literal('rsi'), period: period.default(14) }),
  z.object({ indicator: z.literal('bollinger'), period: period.min(2).default(20), k: z.number().positive().default(2) }),
  z.object({
    indicator: z.literal('macd'),
    fast: period.default(12),
    slow: period.default(26),
    signal: period.default(9),
  }).refine((c) => c.slow > c.fast, { message: 'slow must be greater than fast', path: ['slow'] }),
  z.object({ indicator: z.literal('atr'), period: period.default(14) }),
  z.object({ indicator: z.literal('stddev'), period: period.min(2).default(20) }),
  z.object({ indicator: z.literal('min'), period: period.default(20) }),
  z.object({ indicator: z.literal('max'), period: period.default(20) }),
  z.object({ indicator: z.literal('slope'), period: period.min(2).default(20) }),
]);

export type IndicatorPackConfig = z.infer<typeof indicatorPackConfig>;

interface Calculator {
  readonly warmup: number;
  readonly isStable: boolean;
  /** Feeds a bar and writes the outputs; returns whether they are defined. */
  feed(bar: Bar, out: Float64Array): boolean;
}

function singleValue(indicator: { update(x: number): number; readonly isStable: boolean; readonly warmup: number }): Calculator {
  return {
    warmup: indicator.warmup,
    get isStable() {
      return indicator.isStable;
    },
    feed(bar, out) {
      out[0] = indicator.update(bar.close);
      return indicator.isStable;
    },
  };
}

/** Output names and a factory per configured indicator. */
export function calculatorFor(config: IndicatorPackConfig): { outputs: string[]; create: () => Calculator } {
  switch (config.indicator) {
    case 'sma':
      return { outputs: ['value'], create: () => singleValue(new Sma(config.period)) };
    case 'ema':
      return { outputs: ['value'], create: () => singleValue(new Ema(config.period, config.seed)) };
    case 'wma':
      return { outputs: ['value'], create: () => singleValue(new Wma(config.period)) };
    case 'rsi':
      return { outputs: ['value'], create: () => singleValue(new Rsi(config.period)) };
    case 'stddev':
      return { outputs: ['value'], create: () => singleValue(new RollingStdDev(config.period)) };
    case 'min':
      return { outputs: ['value'], create: () => singleValue(new RollingMin(config.period)) };
    case 'max':
      return { outputs: ['value'], create: () => singleValue(new RollingMax(config.period)) };
    case 'slope':
      return { outputs: ['value'], create: () => singleValue(new LinRegSlope(config.period)) };
    case 'atr':
      return {
        outputs: ['value'],
        create: () => {
          const a = new Atr(config.period);
          return { warmup: a.warmup, get isStable() { return a.isStable; }, feed: (bar, out) => { out[0] = a.update(bar.high, bar.low, bar.close); return a.isStable; } };
        },
      };
    case 'bollinger':
      return {
        outputs: ['upper', 'middle', 'lower'],
        create: () => {
          const b = new BollingerBands(config.period, config.k);
          return {
            warmup: b.warmup,
            get isStable() { return b.isStable; },
            feed: (bar, out) => {
              const ok = b.update(bar.close);
              out[0] = b.upper;
              out[1] = b.middle;
              out[2] = b.lower;
              return ok;
            },
          };
        },
      };
    case 'macd':
      return {
        outputs: ['macd', 'signal', 'histogram'],
        create: () => {
          const m = new Macd(config.fast, config.slow, config.signal);
          return {
            warmup: m.warmup,
            get isStable() { return m.isStable; },
            feed: (bar, out) => {
              const ok = m.update(bar.close);
              out[0] = m.macd;
              out[1] = m.signal;
              out[2] = m.histogram;
              return ok;
            },
          };
        },
      };
  }
}

/**
 * The package as an indicator plugin: one configured calculator per instance, with state per symbol. A bar that
 * breaks the contract is rejected (logged with the reason, NaN written) and leaves the symbol's state untouched.
 */
export const indicatorPack = defineIndicator({
  configSchema: indicatorPackConfig,
  init(ctx) {
    const { outputs, create } = calculatorFor(ctx.config);
    const bySymbol = new Map<string, Calculator>();
    const warmupBars = create().warmup;
    return {
      outputs,
      warmupBars,
      update(bar, out) {
        if (rejectBadBar(bar, ctx.logger)) {
          out.fill(Number.NaN, 0, outputs.length);
          return false;
        }
        let calc = bySymbol.get(bar.symbol);
        if (calc === undefined) bySymbol.set(bar.symbol, (calc = create()));
        if (calc.feed(bar, out)) return true;
        // Multi-output indicators define some outputs early (MACD's line before its signal): report none until all are.
        out.fill(Number.NaN, 0, outputs.length);
        return false;
      },
    };
  },
});
