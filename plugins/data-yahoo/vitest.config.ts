import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared.js';

// Sockets, retries and child processes: generous limits so a loaded CI machine does not fail them; nothing is timed.
export default mergeConfig(sharedTestConfig, defineConfig({ test: { testTimeout: 30_000 } }));
