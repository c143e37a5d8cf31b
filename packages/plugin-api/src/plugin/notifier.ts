import type { EpochMs } from '../domain/bar.js';
import type { PluginLifecycle } from './lifecycle.js';
import type { MaybePromise } from './maybe-promise.js';

/** What a notification is about: a closed trade, a risk event, a plugin taken out, the session's end. */
export type NotificationKind = 'trade' | 'risk' | 'plugin' | 'session';

/** Something a person running a session wants to hear about, with a line to show and the figures behind it. */
export interface Notification {
  readonly kind: NotificationKind;
  readonly level: 'info' | 'warning' | 'critical';
  readonly time: EpochMs;
  /** One line, e.g. `ma-crossover closed long BTC/USDT: +12.40 USD`. */
  readonly title: string;
  /** More detail, plain text; may be empty. */
  readonly text: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/**
 * Sends notifications out (a chat webhook, e-mail, a phone). The host calls `notify` off the trading path, retries
 * a failure with backoff, and drops what cannot be delivered: throw (or reject) when delivery failed, so the host
 * knows to try again. Never put secrets (a webhook URL's token) in an error message: the host journals them.
 */
export interface Notifier extends PluginLifecycle {
  notify(notification: Notification): MaybePromise<void>;
}
