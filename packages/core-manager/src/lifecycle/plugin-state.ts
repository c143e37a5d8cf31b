export const PLUGIN_STATES = [
  'discovered',
  'loading',
  'loaded',
  'initialising',
  'active',
  'stopped',
  'error',
  'disabled',
  'unloading',
  'unloaded',
] as const;

export type PluginState = (typeof PLUGIN_STATES)[number];

/**
 * Every legal move. `initialising` covers `init` and the first `start`; `reload` goes
 * stopped → unloading → unloaded → loading again, so it needs no edges of its own.
 */
export const TRANSITIONS: Readonly<Record<PluginState, readonly PluginState[]>> = {
  discovered: ['loading'],
  loading: ['loaded', 'error'],
  loaded: ['initialising', 'unloading', 'error'],
  initialising: ['active', 'error'],
  active: ['stopped', 'error', 'disabled'],
  stopped: ['active', 'disabled', 'unloading', 'error'],
  error: ['disabled', 'unloading'],
  disabled: ['active', 'unloading', 'error'],
  unloading: ['unloaded'],
  unloaded: ['loading'],
};

export function canTransition(from: PluginState, to: PluginState): boolean {
  return TRANSITIONS[from].includes(to);
}
