import { describeIndicatorConformance } from '@trading-orchestrator/plugin-testkit';
import { indicatorPack } from '../src/index.js';

describeIndicatorConformance('indicators', {
  definition: indicatorPack,
  packageJson: new URL('../package.json', import.meta.url),
  validConfigs: [
    { indicator: 'sma', period: 10 },
    { indicator: 'ema', period: 12 },
    { indicator: 'rsi', period: 14 },
    { indicator: 'bollinger', period: 20, k: 2 },
    { indicator: 'macd' },
    { indicator: 'atr', period: 14 },
    { indicator: 'slope', period: 10 },
  ],
  invalidConfigs: [
    { config: { indicator: 'vwap' }, paths: ['indicator'] },
    { config: { indicator: 'sma', period: 0 }, paths: ['period'] },
    { config: { indicator: 'macd', fast: 26, slow: 12 }, paths: ['slow'], message: 'slow must be greater than fast' },
    { config: { indicator: 'bollinger', period: 20, k: -1 }, paths: ['k'] },
  ],
});
