import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Notification } from '@trading-orchestrator/plugin-api';
import { afterEach, describe, expect, it } from 'vitest';
import { webhookBody, webhookNotifier } from '../src/index.js';

const trade: Notification = { kind: 'trade', level: 'info', time: 0, title: 'ma-crossover closed long BTC/USDT: +12.40 USD', text: 'entry 100, exit 112.4', data: { pnl: 12.4 } };

let server: Server | undefined;
afterEach(() => server?.close());

async function webhook(status: number) {
  const bodies: unknown[] = [];
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      bodies.push(JSON.parse(body));
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T000/B000/SECRET`, bodies };
}

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const start = (config: Record<string, unknown>) => webhookNotifier.init({ pluginId: 'notifier-webhook', config: config as never, logger: quiet, clock: { now: () => 0 }, signal: new AbortController().signal, subscribe: () => () => undefined });

describe('the webhook notifier', () => {
  it('speaks Slack\'s, Discord\'s or plain JSON', () => {
    expect(webhookBody(trade, 'slack')).toEqual({ text: 'ma-crossover closed long BTC/USDT: +12.40 USD\nentry 100, exit 112.4' });
    expect(webhookBody({ ...trade, level: 'critical', text: '' }, 'discord')).toEqual({ content: '🚨 ma-crossover closed long BTC/USDT: +12.40 USD' });
    expect(webhookBody(trade, 'json')).toEqual(trade);
  });

  it('posts to the webhook, and fails without naming its secret when the webhook refuses', async () => {
    const ok = await webhook(200);
    const config = (webhookNotifier.configSchema['~standard'].validate({ url: ok.url }) as { value: Record<string, unknown> }).value;
    const notifier = await start(config);
    await notifier.notify(trade);
    expect(ok.bodies).toEqual([{ text: 'ma-crossover closed long BTC/USDT: +12.40 USD\nentry 100, exit 112.4' }]);
    server!.close();
    const refusing = await webhook(500);
    const failing = await start({ ...config, url: refusing.url });
    const error = await Promise.resolve(failing.notify(trade)).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/^the webhook at 127\.0\.0\.1:\d+ answered 500/);
    expect((error as Error).message).not.toContain('SECRET');
  });

  it('refuses a URL that is not http(s)', () => {
    const result = webhookNotifier.configSchema['~standard'].validate({ url: 'ftp://example.com/x' }) as { issues?: { message: string }[] };
    expect(result.issues?.[0]?.message).toContain('must be an http(s) URL');
  });
});
