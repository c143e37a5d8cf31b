import type { BacktestResult } from '@trading-orchestrator/engine';
import { describe, expect, it } from 'vitest';
import { renderRiskNotes } from '../format/risk-summary.js';
import { renderBacktest } from './render-backtest.js';

const result = (unownedFills: number): BacktestResult => ({
  bars: 10,
  interrupted: false,
  equity: [],
  metrics: undefined,
  strategies: [],
  portfolio: { time: 0, currency: 'USD', cash: 1_000, equity: 1_000, positions: [], grossExposure: 0, netExposure: 0, realizedPnl: 0, unrealizedPnl: 0, feesPaid: 0 },
  denials: [],
  unownedFills,
  benchmark: { description: 'buy and hold: X, bought at the first price after the run\'s warm-up, no fees', finalEquity: 1_000, equity: [], metrics: undefined },
});

describe('the backtest summary', () => {
  it('warns about fills of orders the run did not send, and says what to do', () => {
    expect(renderBacktest(result(0), 'run')).not.toContain('warning');
    expect(renderBacktest(result(2), 'run')).toContain('warning: the broker reported 2 fills of orders this run did not send; they are journaled but not booked, so reconcile the account with the venue');
  });

  it('lists what the risk plugins changed: per plugin and code, an example, and where its limit is set in the run file', () => {
    const lines = renderRiskNotes(
      [
        { pluginId: 'var', action: 'deny', code: 'POSITION_WEIGHT_EXCEEDED', count: 41, example: 'position weight of SPY after the trade would be 47.50% of equity, above the 25.00% limit (now 0.00%)', setting: 'maxPositionWeight' },
        { pluginId: 'guards', action: 'resize', code: 'POSITION_CAP', count: 2, example: 'SPY would be 40% of equity', setting: 'exposure.maxPositionPct' },
        { pluginId: 'gone', action: 'deny', code: 'X', count: 1, example: 'y', setting: undefined },
      ],
      (id) => ({ var: 'risk[1]', guards: 'risk[0]' })[id],
    );
    expect(lines).toEqual([
      'risk plugins changed orders (42 denied, 2 resized):',
      '  var denied 41 × POSITION_WEIGHT_EXCEEDED: e.g. position weight of SPY after the trade would be 47.50% of equity, above the 25.00% limit (now 0.00%); the limit is risk[1].config.maxPositionWeight',
      '  guards resized 2 × POSITION_CAP: e.g. SPY would be 40% of equity; the limit is risk[0].config.exposure.maxPositionPct',
      '  gone denied 1 × X: e.g. y',
    ]);
    expect(renderBacktest(result(0), 'run', { riskLines: lines })).toContain(lines.join('\n'));
  });
});
