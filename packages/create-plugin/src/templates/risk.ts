import type { KindTemplate } from './kind-template.js';

export const riskTemplate: KindTemplate = {
  source: `import { defineRiskManager, type OrderIntent, type PortfolioSnapshot, type RiskDecision } from '@trading-orchestrator/plugin-api';
import { z } from 'zod';

export const config = z.object({
  /** Largest absolute market value one symbol's position may reach, in account currency. */
  maxPositionValue: z.number().positive(),
});

/** Caps each symbol's position value: an order that would pass the cap is cut to fit, or denied when nothing fits. */
export default defineRiskManager({
  configSchema: config,
  init(ctx) {
    const { maxPositionValue } = ctx.config;
    return {
      checkOrder(intent: OrderIntent, portfolio: PortfolioSnapshot): RiskDecision {
        if (intent.reduceOnly) return { action: 'allow' };
        const held = portfolio.positions.find((p) => p.symbol === intent.symbol)?.quantity ?? 0;
        const signed = intent.side === 'buy' ? intent.quantity : -intent.quantity;
        const after = Math.abs(held + signed) * intent.referencePrice;
        // An order that shrinks the position is always allowed.
        if (after <= maxPositionValue || Math.abs(held + signed) <= Math.abs(held)) return { action: 'allow' };
        const room = Math.max(0, maxPositionValue / intent.referencePrice - Math.abs(held));
        const message = \`\${intent.symbol} position would be worth \${after.toFixed(2)}, above maxPositionValue \${maxPositionValue}\`;
        if (Math.sign(held) === Math.sign(signed) || held === 0) {
          return room > 0 ? { action: 'resize', quantity: Math.min(intent.quantity, room), code: 'POSITION_VALUE_CAPPED', message } : { action: 'deny', code: 'POSITION_VALUE_LIMIT', message };
        }
        return { action: 'deny', code: 'POSITION_VALUE_LIMIT', message };
      },
    };
  },
});
`,
  test: `import { describeRiskConformance } from '@trading-orchestrator/plugin-testkit';
import plugin from '../src/index.js';

describeRiskConformance('__ID__', {
  definition: plugin,
  packageJson: new URL('../package.json', import.meta.url),
  validConfig: { maxPositionValue: 50_000 },
  invalidConfigs: [
    { config: {}, paths: ['maxPositionValue'] },
    { config: { maxPositionValue: -1 }, paths: ['maxPositionValue'] },
  ],
});
`,
  configDoc: '| `maxPositionValue` | required | largest absolute market value of one symbol\'s position |',
};
