import { describeStrategyConformance } from '@trading-orchestrator/plugin-testkit';
import { maCrossover } from '../src/index.js';

describeStrategyConformance('ma-crossover', {
  definition: maCrossover,
  packageJson: new URL('../package.json', import.meta.url),
  validConfig: { fast: 5, slow: 20 },
  invalidConfigs: [
    { config: { fast: 30, slow: 10 }, paths: ['slow', 'fast'], message: 'slow (10) must be greater than fast (30)' },
    { config: { fast: 20, slow: 20 }, paths: ['slow', 'fast'] },
    { config: { fast: 0, average: 'hull' }, paths: ['fast', 'average'] },
    { config: { minConfidence: 2 }, paths: ['minConfidence'] },
  ],
});
