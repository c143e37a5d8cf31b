import type { KindTemplate } from './kind-template.js';

export const notifierTemplate: KindTemplate = {
  source: `import { defineNotifier, type Notification } from '@trading-orchestrator/plugin-api';
import { z } from 'zod';

export const config = z.object({
  /** Where notifications go: an endpoint taking JSON. Keep it in an env var in the run file: \`\${MY_WEBHOOK}\`. */
  url: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }),
});

/** Posts each notification as JSON. A refused or failed delivery throws, so the host tries again later. */
export default defineNotifier({
  configSchema: config,
  init(ctx) {
    const { url } = ctx.config;
    // The URL may hold a secret: messages name its host only.
    const host = new URL(url).host;
    return {
      async notify(notification: Notification) {
        let response: Response;
        try {
          response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: notification.title, detail: notification.text, kind: notification.kind, level: notification.level }), signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(10_000)]) });
        } catch (error) {
          throw new Error(\`\${host} could not be reached: \${(error as Error).name}\`);
        }
        await response.arrayBuffer().catch(() => undefined);
        if (!response.ok) throw new Error(\`\${host} answered \${response.status}\`);
      },
    };
  },
});
`,
  test: `import { describeNotifierConformance } from '@trading-orchestrator/plugin-testkit';
import plugin from '../src/index.js';

describeNotifierConformance('__ID__', {
  definition: plugin,
  packageJson: new URL('../package.json', import.meta.url),
  configFor: (sink) => ({ url: sink.url }),
  invalidConfigs: [
    { config: {}, paths: ['url'] },
    { config: { url: 'ftp://example.com/hook' }, paths: ['url'] },
  ],
});
`,
  configDoc: '| `url` | required | the http(s) endpoint each notification is posted to as JSON |',
};
