import { IllegalTransitionError } from '@trading-orchestrator/plugin-api';
import { RingBuffer } from '../util/ring-buffer.js';
import { canTransition, TRANSITIONS, type PluginState } from './plugin-state.js';

export interface StateTransition {
  readonly pluginId: string;
  readonly from: PluginState;
  readonly to: PluginState;
  readonly reason: string;
  /** Wall-clock epoch ms. */
  readonly time: number;
}

/** One plugin's state, with a bounded record of how it got there. Illegal moves throw and change nothing. */
export class PluginStateMachine {
  private current: PluginState = 'discovered';
  private readonly history: RingBuffer<StateTransition>;

  constructor(
    readonly pluginId: string,
    private readonly onTransition: (transition: StateTransition) => void,
    historyLimit = 64,
  ) {
    this.history = new RingBuffer(historyLimit);
  }

  get state(): PluginState {
    return this.current;
  }

  can(to: PluginState): boolean {
    return canTransition(this.current, to);
  }

  transition(to: PluginState, reason: string): void {
    const from = this.current;
    if (!canTransition(from, to)) {
      throw new IllegalTransitionError(`plugin "${this.pluginId}" cannot go from ${from} to ${to} (${reason})`, {
        pluginId: this.pluginId,
        path: this.pluginId,
        from,
        to,
        hint: `from ${from} a plugin may go to: ${TRANSITIONS[from].join(', ') || 'nothing'}`,
      });
    }
    this.current = to;
    const transition: StateTransition = { pluginId: this.pluginId, from, to, reason, time: Date.now() };
    this.history.push(transition);
    this.onTransition(transition);
  }

  /** Oldest first, at most the history limit. */
  transitions(): StateTransition[] {
    return this.history.toArray();
  }
}
