import { describeStrategyConformance } from '@trading-orchestrator/plugin-testkit';
import { rsiMeanReversion } from '../src/index.js';

describeStrategyConformance('rsi-mean-reversion', {
  definition: rsiMeanReversion,
  packageJson: new URL('../package.json', import.meta.url),
  validConfig: { period: 9, mode: 'long-short' },
  invalidConfigs: [
    { config: { oversold: 60, exitLevel: 50 }, paths: ['exitLevel'], message: 'exitLevel (50) must be above oversold (60)' },
    { config: { overbought: 45 }, paths: ['exitLevel'], message: 'exitLevel (50) must be below overbought (45)' },
    { config: { period: 1, stopLossPct: 0 }, paths: ['period', 'stopLossPct'] },
    { config: { divergenceLookback: 1 }, paths: ['divergenceLookback'] },
  ],
});
