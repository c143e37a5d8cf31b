import type { PluginManager } from '@trading-orchestrator/core-manager';
import type { PortfolioSnapshot, RiskMetrics } from '@trading-orchestrator/plugin-api';
import { HALT_RULE_ID } from './halt-switch.js';

/** How long a risk plugin's `portfolioRisk` may take before the answer goes without it. */
const RISK_FIGURES_MS = 2_000;

/** One risk plugin's figures, or why there are none. */
export interface RiskFigures {
  readonly pluginId: string;
  readonly figures?: RiskMetrics;
  readonly note?: string;
}

/**
 * Each active risk plugin's own figures (VaR, ES, its limits and how much of each is used) for the account now. A
 * plugin without `portfolioRisk`, one that throws, or one slower than RISK_FIGURES_MS is listed with why.
 */
export async function riskFigures(manager: PluginManager, portfolio: PortfolioSnapshot | undefined): Promise<RiskFigures[]> {
  if (portfolio === undefined) return [];
  const active = manager.active('risk').filter((p) => p.id !== HALT_RULE_ID);
  return Promise.all(
    active.map(async ({ id, instance }) => {
      if (instance.portfolioRisk === undefined) return { pluginId: id, note: 'it reports no portfolio figures' };
      let timer: NodeJS.Timeout | undefined;
      try {
        const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${RISK_FIGURES_MS} ms`)), RISK_FIGURES_MS)));
        return { pluginId: id, figures: await Promise.race([Promise.resolve(instance.portfolioRisk(portfolio)), late]) };
      } catch (error) {
        return { pluginId: id, note: `its figures failed: ${(error as Error).message}` };
      } finally {
        clearTimeout(timer);
      }
    }),
  );
}

