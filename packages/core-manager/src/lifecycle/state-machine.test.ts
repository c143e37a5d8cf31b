import fc from 'fast-check';
import { hasErrorCode } from '@trading-orchestrator/plugin-api';
import { describe, expect, it } from 'vitest';
import { canTransition, PLUGIN_STATES, type PluginState } from './plugin-state.js';
import { PluginStateMachine, type StateTransition } from './state-machine.js';

describe('plugin state machine', () => {
  it('follows the documented happy path and records each step with a reason', () => {
    const seen: StateTransition[] = [];
    const m = new PluginStateMachine('rsi', (t) => seen.push(t));
    for (const to of ['loading', 'loaded', 'initialising', 'active', 'stopped', 'active', 'stopped', 'unloading', 'unloaded'] as const) m.transition(to, `to ${to}`);
    expect(m.state).toBe('unloaded');
    expect(seen.map((t) => `${t.from}>${t.to}`)).toEqual([
      'discovered>loading',
      'loading>loaded',
      'loaded>initialising',
      'initialising>active',
      'active>stopped',
      'stopped>active',
      'active>stopped',
      'stopped>unloading',
      'unloading>unloaded',
    ]);
    expect(m.transitions()).toEqual(seen);
    expect(seen.every((t) => t.pluginId === 'rsi' && typeof t.time === 'number')).toBe(true);
  });

  it('refuses an illegal move with a typed error and stays where it was', () => {
    const m = new PluginStateMachine('rsi', () => {});
    const error = (() => {
      try {
        m.transition('active', 'start');
      } catch (e) {
        return e;
      }
    })();
    expect(hasErrorCode(error, 'ILLEGAL_TRANSITION')).toBe(true);
    expect((error as Error).message).toBe('plugin "rsi" cannot go from discovered to active (start)');
    expect((error as { hint: string }).hint).toBe('from discovered a plugin may go to: loading');
    expect(m.state).toBe('discovered');
  });

  it('no sequence of requests reaches an illegal state, and history stays bounded', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PLUGIN_STATES), { maxLength: 200 }), (requests) => {
        const published: StateTransition[] = [];
        const m = new PluginStateMachine('p', (t) => published.push(t), 16);
        for (const to of requests) {
          const before: PluginState = m.state;
          const legal = canTransition(before, to);
          try {
            m.transition(to, 'property');
            if (!legal) return false;
          } catch {
            if (legal || m.state !== before) return false;
          }
        }
        return (
          published.every((t) => canTransition(t.from, t.to)) &&
          published.every((t, i) => i === 0 ? t.from === 'discovered' : t.from === published[i - 1]!.to) &&
          m.transitions().length === Math.min(16, published.length) &&
          (published.length === 0 ? m.state === 'discovered' : m.state === published.at(-1)!.to)
        );
      }),
      { numRuns: 500 },
    );
  });
});
