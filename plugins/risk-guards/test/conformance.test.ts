import { describeRiskConformance } from '@trading-orchestrator/plugin-testkit';
import { riskGuards } from '../src/index.js';

describeRiskConformance('risk-guards', {
  definition: riskGuards,
  packageJson: new URL('../package.json', import.meta.url),
  validConfig: { correlationGroups: [{ name: 'A', symbols: ['AAA', 'BBB'], maxOpenPositions: 1 }], exposure: { maxPositionPct: 0.5 } },
  invalidConfigs: [
    { config: { circuitBreaker: { maxDrawdownPct: 0 } }, paths: ['circuitBreaker.maxDrawdownPct'] },
    { config: { circuitBreaker: { recovery: { afterBars: 0 } } }, paths: ['circuitBreaker.recovery.afterBars'] },
    { config: { correlationGroups: [{ name: 'solo', symbols: ['SPY'], maxOpenPositions: 0 }] }, paths: ['correlationGroups[0].symbols', 'correlationGroups[0].maxOpenPositions'] },
    { config: { exposure: { maxOpenPositions: 1.5 }, lossStreak: { losses: 0 } }, paths: ['lossStreak.losses', 'exposure.maxOpenPositions'] },
  ],
});
