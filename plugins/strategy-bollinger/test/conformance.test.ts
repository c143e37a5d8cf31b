import { describeStrategyConformance } from '@trading-orchestrator/plugin-testkit';
import { bollingerReversion } from '../src/index.js';

describeStrategyConformance('bollinger-reversion', {
  definition: bollingerReversion,
  packageJson: new URL('../package.json', import.meta.url),
  validConfig: { period: 20, k: 2, mode: 'long-short' },
  invalidConfigs: [
    { config: { period: 1 }, paths: ['period'] },
    { config: { k: 0, stopSigma: -1 }, paths: ['k', 'stopSigma'] },
    { config: { kellyFraction: 1.5, mode: 'short-only' }, paths: ['mode', 'kellyFraction'] },
  ],
});
