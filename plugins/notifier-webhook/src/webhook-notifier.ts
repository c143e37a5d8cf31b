import { defineNotifier, type Notification } from '@trading-orchestrator/plugin-api';
import { z } from 'zod';

const config = z
  .object({
    /** The webhook: Slack's incoming-webhook URL, Discord's, or any endpoint taking JSON. Keep it in an env var: `${SLACK_WEBHOOK}`. */
    url: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }),
    /** slack: `{ text }`; discord: `{ content }`; json: the notification itself. */
    format: z.enum(['slack', 'discord', 'json']).default('slack'),
    /** How long one delivery may take. */
    timeoutMs: z.number().int().min(100).max(60_000).default(10_000),
  })
  .strict();

const ICON: Readonly<Record<Notification['level'], string>> = { info: '', warning: '⚠️ ', critical: '🚨 ' };

/** The body the webhook expects for `notification`. */
export function webhookBody(notification: Notification, format: 'slack' | 'discord' | 'json'): unknown {
  const line = `${ICON[notification.level]}${notification.title}${notification.text === '' ? '' : `\n${notification.text}`}`;
  if (format === 'slack') return { text: line };
  if (format === 'discord') return { content: line.slice(0, 2_000) };
  return notification;
}

/**
 * Posts each notification to the webhook. A delivery that fails (no answer, a status other than 2xx) throws, so the
 * host tries again later; the message names the status, never the URL, which holds the webhook's secret.
 */
export const webhookNotifier = defineNotifier({
  configSchema: config,
  init(ctx) {
    const { url, format, timeoutMs } = ctx.config;
    const host = new URL(url).host;
    return {
      async notify(notification) {
        let response: Response;
        try {
          response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(webhookBody(notification, format)), signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(timeoutMs)]) });
        } catch (error) {
          throw new Error(`the webhook at ${host} could not be reached (${(error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : ((error as Error).cause as Error | undefined)?.message ?? (error as Error).message})`);
        }
        await response.arrayBuffer().catch(() => undefined);
        if (!response.ok) throw new Error(`the webhook at ${host} answered ${response.status} ${response.statusText}`);
      },
    };
  },
});
