import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Notification, NotifierDefinition } from '@trading-orchestrator/plugin-api';
import { describe, expect, it } from 'vitest';
import { manifestAndConfigChecks, type InvalidConfigCase } from './manifest-checks.js';
import { createTestContext } from './test-context.js';

/** A local HTTP endpoint the suite points the notifier at: `url` holds a secret path, as a chat webhook's does. */
export interface NotificationSink {
  readonly url: string;
  /** The secret in the URL: no error message may show it. */
  readonly secret: string;
}

export interface NotifierConformanceOptions<Config> {
  readonly definition: NotifierDefinition<Config>;
  readonly packageJson: string | URL;
  /** A config that delivers to the sink (for a webhook notifier, `{ url: sink.url }`). */
  readonly configFor: (sink: NotificationSink) => unknown;
  readonly invalidConfigs: readonly InvalidConfigCase[];
}

const NOTIFICATIONS: readonly Notification[] = [
  { kind: 'trade', level: 'info', time: 1_700_000_000_000, title: 'ma-crossover closed long BTC/USDT: +12.40 USD', text: 'quantity 0.1', data: { pnl: 12.4 } },
  { kind: 'risk', level: 'critical', time: 1_700_000_060_000, title: 'risk-guards: CIRCUIT_BREAKER', text: 'drawdown 21%', data: {} },
  { kind: 'plugin', level: 'warning', time: 1_700_000_120_000, title: 'plugin rsi is disabled', text: 'unhealthy 3 checks in a row', data: {} },
  { kind: 'session', level: 'info', time: 1_700_000_180_000, title: 'session ended: finished', text: '40 bars', data: {} },
];

async function withSink<T>(status: number, use: (sink: NotificationSink, received: () => number) => Promise<T>): Promise<T> {
  let count = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      count++;
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const secret = `secret-${Math.random().toString(36).slice(2)}`;
  try {
    return await use({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/${secret}`, secret }, () => count);
  } finally {
    server.close();
  }
}

/**
 * The notifier conformance suite: call it at the top level of a vitest file. It points the notifier at a local HTTP
 * endpoint (a notifier for another transport tests its delivery itself) and checks that each kind of notification
 * is delivered, that a refused delivery throws (so the host retries), and that the error never shows the URL's secret.
 */
export function describeNotifierConformance<Config>(name: string, options: NotifierConformanceOptions<Config>): void {
  const { definition } = options;
  const start = async (sink: NotificationSink) => {
    const parsed = await definition.configSchema['~standard'].validate(options.configFor(sink));
    if (parsed.issues !== undefined) throw new Error(`the config for the sink is invalid: ${parsed.issues.map((i) => i.message).join('; ')}`);
    return definition.init(createTestContext(parsed.value as Config));
  };

  describe(`${name}: notifier conformance`, () => {
    manifestAndConfigChecks({ kind: 'notifier', packageJson: options.packageJson, configSchema: definition.configSchema, definitionKind: definition.kind, validConfig: options.configFor({ url: 'http://127.0.0.1:9/hooks/x', secret: 'x' }), invalidConfigs: options.invalidConfigs });

    it('delivers every kind of notification', async () => {
      await withSink(200, async (sink, received) => {
        const notifier = await start(sink);
        for (const n of NOTIFICATIONS) await notifier.notify(n);
        expect(received()).toBe(NOTIFICATIONS.length);
      });
    });

    it('throws when the delivery is refused, without the secret in the message', async () => {
      await withSink(500, async (sink) => {
        const notifier = await start(sink);
        const error = await Promise.resolve()
          .then(() => notifier.notify(NOTIFICATIONS[0]!))
          .then(() => undefined, (e: unknown) => e as Error);
        expect(error, 'a refused delivery must throw so the host tries again').toBeInstanceOf(Error);
        expect(error!.message).not.toContain(sink.secret);
      });
    });
  });
}
