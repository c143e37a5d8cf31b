import type { KindTemplate } from './kind-template.js';

export const indicatorTemplate: KindTemplate = {
  source: `import { defineIndicator, rejectBadBar, type Bar } from '@trading-orchestrator/plugin-api';
import { z } from 'zod';

export const config = z.object({
  /** Bars in the average. */
  period: z.number().int().min(1).max(10_000).default(14),
});

/** Per-symbol rolling state: a ring of the last \`period\` ranges and their running sum. */
class RangeWindow {
  private readonly ranges: Float64Array;
  private next = 0;
  private count = 0;
  private sum = 0;
  lastTime = -Infinity;

  constructor(period: number) {
    this.ranges = new Float64Array(period);
  }

  push(range: number): number {
    const period = this.ranges.length;
    this.sum += range - (this.count === period ? this.ranges[this.next]! : 0);
    this.ranges[this.next] = range;
    this.next = (this.next + 1) % period;
    if (this.count < period) this.count++;
    return this.count === period ? this.sum / period : Number.NaN;
  }
}

/** Average bar range (high − low) as a share of the close, over \`period\` bars: a simple volatility gauge. */
export default defineIndicator({
  configSchema: config,
  init(ctx) {
    const { period } = ctx.config;
    const windows = new Map<string, RangeWindow>();
    return {
      outputs: ['rangePct'],
      warmupBars: period,
      update(bar: Bar, out: Float64Array): boolean {
        let w = windows.get(bar.symbol);
        if (rejectBadBar(bar, ctx.logger, w?.lastTime)) {
          out[0] = Number.NaN;
          return false;
        }
        if (w === undefined) windows.set(bar.symbol, (w = new RangeWindow(period)));
        w.lastTime = bar.time;
        out[0] = w.push((bar.high - bar.low) / bar.close);
        return !Number.isNaN(out[0]);
      },
    };
  },
});
`,
  test: `import { describeIndicatorConformance } from '@trading-orchestrator/plugin-testkit';
import plugin from '../src/index.js';

describeIndicatorConformance('__ID__', {
  definition: plugin,
  packageJson: new URL('../package.json', import.meta.url),
  validConfigs: [{ period: 14 }, { period: 1 }],
  invalidConfigs: [{ config: { period: 0 }, paths: ['period'] }],
});
`,
  configDoc: '| `period` | 14 | bars in the average |',
};
