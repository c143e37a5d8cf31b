import { defineConfig } from 'tsup';
import { packageVersion, sharedBuild } from '../../tsup.shared.js';

export default defineConfig({
  ...sharedBuild,
  define: { __PLUGIN_API_VERSION__: JSON.stringify(packageVersion(new URL('./package.json', import.meta.url))) },
});
