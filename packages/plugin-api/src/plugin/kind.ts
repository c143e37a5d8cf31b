export const PLUGIN_KINDS = ['strategy', 'data', 'risk', 'indicator', 'broker', 'notifier'] as const;

export type PluginKind = (typeof PLUGIN_KINDS)[number];

export function isPluginKind(value: unknown): value is PluginKind {
  return typeof value === 'string' && (PLUGIN_KINDS as readonly string[]).includes(value);
}
