/**
 * A panel plugin is a browser script the dashboard shows in a sandboxed frame. It has no code in the session: its
 * manifest (`kind: "panel"`) names the script as `entry` and the topics it reads as `panel.topics`, and the
 * dashboard hands it those topics' events by message passing. The frame has no network access, no cookies and no
 * way to reach the dashboard, the session's token or another panel.
 */

/** What a panel may read: the session's events, and the risk plugins' figures the dashboard polls. */
export const PANEL_TOPICS = ['bar', 'equity', 'position', 'order', 'signal', 'fill', 'trade', 'risk', 'risk-figures', 'health', 'plugins', 'control'] as const;

export type PanelTopic = (typeof PANEL_TOPICS)[number];

/** One risk plugin's figures for the account now (topic `risk-figures`): its `portfolioRisk` answer. */
export interface PanelRiskFigures {
  readonly pluginId: string;
  readonly figures?: {
    readonly time: number;
    readonly valueAtRisk?: number;
    readonly expectedShortfall?: number;
    readonly limits: readonly { readonly name: string; readonly limit: number; readonly current: number; readonly utilisation: number; readonly breached: boolean }[];
    /** Named figures, e.g. risk-var's `correlation:BTC/USDT:ETH/USDT`. */
    readonly values?: Readonly<Record<string, number>>;
  };
  /** Why there are no figures (the plugin reports none, failed or was slow). */
  readonly note?: string;
}

/** A message the dashboard posts to a panel's frame. */
export interface PanelMessage<T = unknown> {
  readonly topic: PanelTopic;
  /** When the session published it (epoch ms). */
  readonly time: number;
  readonly data: T;
}

/**
 * What a panel's script finds as `globalThis.panel` when it runs. `root` is the element to draw in (an
 * `HTMLElement`; typed loosely so this package needs no DOM types).
 */
export interface PanelApi {
  readonly id: string;
  readonly title: string;
  readonly topics: readonly PanelTopic[];
  readonly root: unknown;
  /** Called with each event of `topic` (one of the manifest's topics) as it arrives, newest last. */
  on<T = unknown>(topic: PanelTopic, handler: (data: T, message: PanelMessage<T>) => void): void;
}
