import { defineConfig } from 'vitest/config';

/**
 * Settings every package's vitest config starts from. The JSON report feeds `scripts/test-summary.mjs`,
 * which prints one "N passed, N failed" line for the whole repository.
 */
export const sharedTestConfig = defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
    // Tests assert behaviour, not speed: on a shared 2-core machine running another suite beside this one, a test
    // that takes 1 s alone can take ten. Longer work sets its own timeout.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
