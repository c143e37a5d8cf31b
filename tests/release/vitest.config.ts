import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared.js';

// Installs, builds and publishes take minutes on a 2-core machine; nothing here is timed.
export default mergeConfig(sharedTestConfig, defineConfig({ test: { testTimeout: 600_000, hookTimeout: 900_000 } }));
