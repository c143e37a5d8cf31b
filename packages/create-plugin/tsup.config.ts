import { defineConfig } from 'tsup';
import { sharedBuild } from '../../tsup.shared.js';
import { scaffoldVersions } from './scaffold-versions.js';

export default defineConfig({ ...sharedBuild, entry: ['src/index.ts', 'src/cli.ts'], define: { __SCAFFOLD_VERSIONS__: JSON.stringify(scaffoldVersions()) } });
