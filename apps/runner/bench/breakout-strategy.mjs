// A channel breakout (Donchian): buy when a bar closes above the highest high of the `entry` bars before it, exit
// when one closes below the lowest low of the `exit` bars before it. The benchmarks' multi-symbol workload: one
// instance trades every symbol, each with its own channel. The channels are monotonic queues, so a bar costs O(1)
// like the reference strategies' indicators, and the benchmark measures the platform, not this strategy.
import { SeriesMap } from '@trading-orchestrator/indicators';
import { defineStrategy } from '@trading-orchestrator/plugin-api';
import { z } from 'zod';

/** The highest (or lowest) of the last `size` values pushed before the current one, in O(1) amortised. */
class Extreme {
  constructor(size, highest) {
    this.size = size;
    this.sign = highest ? 1 : -1;
    this.values = new Float64Array(size + 1);
    this.indices = new Float64Array(size + 1);
    this.head = 0;
    this.length = 0;
    this.count = 0;
  }

  /** The extreme of the window, or NaN before it is full. */
  get value() {
    return this.count < this.size ? Number.NaN : this.values[this.head];
  }

  push(value) {
    const cap = this.size + 1;
    const v = this.sign * value;
    // Values no better than the new one can never be the extreme again.
    while (this.length > 0 && this.sign * this.values[(this.head + this.length - 1) % cap] <= v) this.length--;
    const slot = (this.head + this.length) % cap;
    this.values[slot] = value;
    this.indices[slot] = this.count;
    this.length++;
    this.count++;
    if (this.indices[this.head] <= this.count - 1 - this.size) {
      this.head = (this.head + 1) % cap;
      this.length--;
    }
  }
}

export const breakout = defineStrategy({
  configSchema: z.object({ entry: z.number().int().min(2).default(20), exit: z.number().int().min(2).default(10) }),
  init(ctx) {
    const { entry, exit } = ctx.config;
    const series = new SeriesMap(() => ({ highs: new Extreme(entry, true), lows: new Extreme(exit, false), long: false }));
    return {
      warmupBars: entry + 1,
      onBar(bar) {
        const s = series.of(bar);
        const top = s.highs.value;
        const bottom = s.lows.value;
        s.highs.push(bar.high);
        s.lows.push(bar.low);
        if (!s.long && bar.close > top) {
          s.long = true;
          return { symbol: bar.symbol, side: 'buy', strength: 1, time: bar.time };
        }
        if (s.long && bar.close < bottom) {
          s.long = false;
          return { symbol: bar.symbol, side: 'exit', strength: 1, time: bar.time };
        }
        return undefined;
      },
    };
  },
});
