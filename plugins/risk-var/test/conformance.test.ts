import { describeRiskConformance } from '@trading-orchestrator/plugin-testkit';
import { varRiskManager } from '../src/index.js';

describeRiskConformance('risk-var', {
  definition: varRiskManager,
  packageJson: new URL('../package.json', import.meta.url),
  validConfig: { window: 200, minHistory: 50, maxVarPct: 0.03, onLimit: 'resize', maxPositionWeight: 0.5 },
  invalidConfigs: [
    { config: { confidence: 1.2 }, paths: ['confidence'] },
    { config: { window: 50, minHistory: 80 }, paths: ['minHistory'], message: 'minHistory (80) cannot exceed window (50)' },
    { config: { method: 'monte-carlo', onLimit: 'ignore' }, paths: ['method', 'onLimit'] },
  ],
});
