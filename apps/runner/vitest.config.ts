import { readFileSync } from 'node:fs';
import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared.js';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

export default mergeConfig(
  sharedTestConfig,
  defineConfig({
    define: { __RUNNER_VERSION__: JSON.stringify(version) },
    // The end-to-end test packs and installs with npm, which takes seconds on a busy machine.
    test: { testTimeout: 60_000, hookTimeout: 240_000 },
  }),
);
