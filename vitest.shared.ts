import { defineConfig } from 'vitest/config';

/**
 * Settings every package's vitest config starts from. The JSON report feeds `scripts/test-summary.mjs`,
 * which prints one "N passed, N failed" line for the whole repository.
 */
export const sharedTestConfig = defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
  },
});
