import type { KindTemplate } from './kind-template.js';

export const strategyTemplate: KindTemplate = {
  source: `import { defineStrategy, rejectBadBar, type Bar, type Timeframe } from '@trading-orchestrator/plugin-api';
import { z } from 'zod';

export const config = z.object({
  /** Consecutive higher closes that make a buy signal; as many lower closes make an exit. */
  streak: z.number().int().min(2).max(50).default(3),
});

interface SeriesState {
  lastTime: number;
  lastClose: number;
  ups: number;
  downs: number;
}

/** Buys after \`streak\` rising closes in a row and exits after as many falling ones. */
export default defineStrategy({
  configSchema: config,
  init(ctx) {
    const { streak } = ctx.config;
    // One small record per series (symbol, then timeframe): state never grows with the length of the run, and a
    // run that gives the strategy hourly and four-hour bars of one symbol keeps the two streaks apart.
    const states = new Map<string, Map<Timeframe, SeriesState>>();
    return {
      warmupBars: streak + 1,
      onBar(bar: Bar) {
        let series = states.get(bar.symbol);
        if (series === undefined) states.set(bar.symbol, (series = new Map()));
        const state = series.get(bar.timeframe);
        if (rejectBadBar(bar, ctx.logger, state?.lastTime)) return undefined;
        if (state === undefined) {
          series.set(bar.timeframe, { lastTime: bar.time, lastClose: bar.close, ups: 0, downs: 0 });
          return undefined;
        }
        state.ups = bar.close > state.lastClose ? state.ups + 1 : 0;
        state.downs = bar.close < state.lastClose ? state.downs + 1 : 0;
        state.lastTime = bar.time;
        state.lastClose = bar.close;
        if (state.ups === streak) return { symbol: bar.symbol, side: 'buy', strength: 0.5, price: bar.close, reason: \`\${streak} higher closes in a row\` };
        if (state.downs === streak) return { symbol: bar.symbol, side: 'exit', strength: 0.5, price: bar.close, reason: \`\${streak} lower closes in a row\` };
        return undefined;
      },
    };
  },
});
`,
  test: `import { describeStrategyConformance } from '@trading-orchestrator/plugin-testkit';
import plugin from '../src/index.js';

describeStrategyConformance('__ID__', {
  definition: plugin,
  packageJson: new URL('../package.json', import.meta.url),
  validConfig: { streak: 3 },
  invalidConfigs: [
    { config: { streak: 1 }, paths: ['streak'] },
    { config: { streak: 'three' }, paths: ['streak'] },
  ],
});
`,
  configDoc: '| `streak` | 3 | consecutive higher closes for a buy; as many lower closes for an exit |',
};
