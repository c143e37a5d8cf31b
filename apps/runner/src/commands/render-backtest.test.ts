import type { BacktestResult } from '@trading-orchestrator/engine';
import { describe, expect, it } from 'vitest';
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
});

describe('the backtest summary', () => {
  it('warns about fills of orders the run did not send, and says what to do', () => {
    expect(renderBacktest(result(0), 'run')).not.toContain('warning');
    expect(renderBacktest(result(2), 'run')).toContain('warning: the broker reported 2 fills of orders this run did not send; they are journaled but not booked, so reconcile the account with the venue');
  });
});
