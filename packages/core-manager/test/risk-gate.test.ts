import { describe, expect, it } from 'vitest';
import { PluginManager, RiskGate, type RiskDecisionEvent, type RiskVerdictEvent } from '../src/index.js';
import { emptyPortfolio, intent, risk } from './fixtures.js';

async function gate(...configs: Record<string, unknown>[]) {
  const m = new PluginManager({ log: () => {} });
  const decisions: RiskDecisionEvent[] = [];
  const verdicts: RiskVerdictEvent[] = [];
  m.bus.subscribe('risk-decision', (d) => decisions.push(d));
  m.bus.subscribe('risk-verdict', (v) => verdicts.push(v));
  const ids = configs.map((_, i) => `risk-${i}`);
  await m.load(configs.map((c, i) => risk(ids[i]!, c)));
  await m.start();
  return { m, gate: new RiskGate(m, ids), decisions, verdicts };
}

describe('risk gate', () => {
  it('approves when every plugin allows, synchronously when every plugin answers synchronously', async () => {
    const { gate: g, verdicts } = await gate({ answer: 'allow' }, { answer: 'allow' });
    const verdict = g.check(intent(10), emptyPortfolio);
    expect(verdict).not.toBeInstanceOf(Promise);
    expect(verdict).toMatchObject({ approved: true, intent: { quantity: 10 } });
    expect(verdicts).toEqual([{ intent: intent(10), approved: true, quantity: 10 }]);
  });

  it('any deny rejects the order with the plugin id, its code and message; later plugins are not asked', async () => {
    const { gate: g, decisions } = await gate({ answer: 'deny' }, { answer: 'throw' });
    const verdict = await g.check(intent(10), emptyPortfolio);
    expect(verdict).toMatchObject({ approved: false, deniedBy: 'risk-0', code: 'TEST_DENY', message: 'denied SPY' });
    expect(decisions.map((d) => d.pluginId)).toEqual(['risk-0']);
  });

  it('a resize passes the smaller quantity on to the next plugin', async () => {
    const { gate: g, decisions } = await gate({ answer: 'resize', resizeTo: 6 }, { answer: 'allow', maxQuantity: 4 }, { answer: 'resize', resizeTo: 50 });
    const verdict = await g.check(intent(10), emptyPortfolio);
    expect(verdict).toMatchObject({ approved: true, intent: { quantity: 4 } });
    expect(decisions.map((d) => [d.pluginId, d.intent.quantity, d.decision.action])).toEqual([
      ['risk-0', 10, 'resize'],
      ['risk-1', 6, 'resize'],
      ['risk-2', 4, 'resize'],
    ]);
  });

  it('an asynchronous resize passes on as a synchronous one does; the verdict names the order as the strategy made it', async () => {
    const { gate: g, decisions, verdicts } = await gate({ answer: 'async-resize', resizeTo: 6 }, { answer: 'allow', maxQuantity: 4 });
    const verdict = await g.check(intent(10), emptyPortfolio);
    expect(verdict).toMatchObject({ approved: true, intent: { quantity: 4 } });
    expect(decisions.map((d) => [d.pluginId, d.intent.quantity, d.decision.action])).toEqual([
      ['risk-0', 10, 'resize'],
      ['risk-1', 6, 'resize'],
    ]);
    expect(verdicts).toEqual([{ intent: intent(10), approved: true, quantity: 4 }]);
  });

  for (const [answer, code, message] of [
    ['throw', 'RISK_PLUGIN_FAILED', 'risk plugin "risk-1" failed to answer, so the order is denied (fail closed): hook "checkOrder" of plugin "risk-1" failed: risk model crashed'],
    ['reject', 'RISK_PLUGIN_FAILED', 'risk plugin "risk-1" failed to answer, so the order is denied (fail closed): hook "checkOrder" of plugin "risk-1" failed: risk service unreachable'],
    ['hang', 'RISK_PLUGIN_TIMEOUT', 'risk plugin "risk-1" failed to answer, so the order is denied (fail closed): hook "checkOrder" of plugin "risk-1" did not settle within 60 ms'],
    ['garbage', 'RISK_PLUGIN_FAILED', 'risk plugin "risk-1" failed to answer, so the order is denied (fail closed): hook "checkOrder" of plugin "risk-1" returned an invalid value: action must be "allow", "deny" or "resize", got undefined'],
  ] as const) {
    it(`a plugin that answers with "${answer}" denies (fail closed)`, async () => {
      const { gate: g, verdicts } = await gate({ answer: 'async-allow' }, { answer });
      const verdict = await g.check(intent(10), emptyPortfolio);
      expect(verdict).toMatchObject({ approved: false, deniedBy: 'risk-1', code, message });
      expect(verdicts.at(-1)).toMatchObject({ approved: false, quantity: 0, deniedBy: 'risk-1', code });
    });
  }

  it('a risk plugin that is not active denies every order until it is back', async () => {
    const { m, gate: g } = await gate({ answer: 'allow' });
    await m.disable('risk-0');
    expect(g.check(intent(1), emptyPortfolio)).toMatchObject({ approved: false, code: 'RISK_PLUGIN_UNAVAILABLE', message: 'risk plugin "risk-0" is disabled; orders that open or add are denied until it is active again (fail closed)' });
    await m.enable('risk-0');
    expect(g.check(intent(1), emptyPortfolio)).toMatchObject({ approved: true });
  });

  for (const answer of ['throw', 'reject', 'hang', 'garbage'] as const) {
    it(`a plugin that answers with "${answer}" never blocks a reduce-only order, and says it was passed without it`, async () => {
      const { gate: g, decisions } = await gate({ answer }, { answer: 'allow' });
      const exit = { ...intent(10), reduceOnly: true };
      expect(await g.check(exit, emptyPortfolio)).toMatchObject({ approved: true, intent: { quantity: 10 } });
      expect(decisions[0]).toMatchObject({ pluginId: 'risk-0', decision: { action: 'allow' }, passedWithout: { code: answer === 'hang' ? 'RISK_PLUGIN_TIMEOUT' : 'RISK_PLUGIN_FAILED' } });
      expect(decisions[1]).toMatchObject({ pluginId: 'risk-1', decision: { action: 'allow' } });
    });
  }

  it('a disabled plugin lets exits through, and a plugin that answers may still deny one', async () => {
    const { m, gate: g, decisions } = await gate({ answer: 'allow' }, { answer: 'deny' });
    await m.disable('risk-0');
    const exit = { ...intent(3), reduceOnly: true };
    expect(g.check(exit, emptyPortfolio)).toMatchObject({ approved: false, deniedBy: 'risk-1', code: 'TEST_DENY' });
    expect(decisions[0]!.passedWithout).toEqual({ code: 'RISK_PLUGIN_UNAVAILABLE', message: 'risk plugin "risk-0" is disabled; a reduce-only order passes without it (entries are denied until it is active again)' });
  });

  it('after five failures the breaker disables the plugin: entries stay denied, exits keep passing', async () => {
    const { m, gate: g } = await gate({ answer: 'throw' });
    for (let i = 0; i < 5; i++) expect(await g.check(intent(1), emptyPortfolio)).toMatchObject({ approved: false, code: 'RISK_PLUGIN_FAILED' });
    expect(m.get('risk-0')!.machine.state).toBe('disabled');
    expect(await g.check(intent(1), emptyPortfolio)).toMatchObject({ approved: false, code: 'RISK_PLUGIN_UNAVAILABLE' });
    for (let i = 0; i < 10; i++) expect(await g.check({ ...intent(1), reduceOnly: true }, emptyPortfolio)).toMatchObject({ approved: true });
  });

  it('position notifications reach every active risk plugin', async () => {
    const { m, gate: g } = await gate({}, {});
    const position = { symbol: 'SPY', quantity: 10, averagePrice: 100, marketPrice: 100, unrealizedPnl: 0, realizedPnl: 0, openedAt: 0 };
    await g.positionOpened(position, emptyPortfolio);
    const open = () => m.active('risk').map(({ instance }) => (instance.health!() as unknown as { metrics: { openPositions: number } }).metrics.openPositions);
    expect(open()).toEqual([1, 1]);
    await g.positionClosed(position, emptyPortfolio);
    expect(open()).toEqual([0, 0]);
  });
});
