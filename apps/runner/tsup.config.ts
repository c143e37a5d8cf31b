import { defineConfig } from 'tsup';
import { packageVersion, sharedBuild } from '../../tsup.shared.js';

export default defineConfig({
  ...sharedBuild,
  entry: ['src/cli.ts', 'src/main.ts', 'src/trial-worker.ts'],
  dts: { entry: 'src/main.ts' },
  define: { __RUNNER_VERSION__: JSON.stringify(packageVersion(new URL('./package.json', import.meta.url))) },
});
