import { readFileSync } from 'node:fs';
import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared.js';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

export default mergeConfig(sharedTestConfig, defineConfig({ define: { __PLUGIN_API_VERSION__: JSON.stringify(version) } }));
