import { describeNotifierConformance } from '@trading-orchestrator/plugin-testkit';
import plugin from '../src/index.js';

describeNotifierConformance('notifier-webhook', {
  definition: plugin,
  packageJson: new URL('../package.json', import.meta.url),
  configFor: (sink) => ({ url: sink.url, format: 'slack' }),
  invalidConfigs: [
    { config: {}, paths: ['url'] },
    { config: { url: 'ftp://example.com/hook' }, paths: ['url'] },
    { config: { url: 'https://hooks.example/x', format: 'teams' }, paths: ['format'] },
  ],
});
