export const PLUGIN_KINDS = ['strategy', 'data', 'risk', 'indicator', 'broker', 'notifier', 'panel'] as const;

/** `panel` is the one kind with no code in the session: a browser script the dashboard shows (see `PanelApi`). */
export type PluginKind = (typeof PLUGIN_KINDS)[number];

export function isPluginKind(value: unknown): value is PluginKind {
  return typeof value === 'string' && (PLUGIN_KINDS as readonly string[]).includes(value);
}
