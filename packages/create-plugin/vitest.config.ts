import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared.js';
import { scaffoldVersions } from './scaffold-versions.js';

export default mergeConfig(sharedTestConfig, defineConfig({ define: { __SCAFFOLD_VERSIONS__: JSON.stringify(scaffoldVersions()) } }));
