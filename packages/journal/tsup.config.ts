import { defineConfig } from 'tsup';
import { sharedBuild } from '../../tsup.shared.js';

// The writer thread is a script of its own, loaded by path at run time.
export default defineConfig({ ...sharedBuild, entry: ['src/index.ts', 'src/writer-worker.ts'], dts: { entry: 'src/index.ts' }, external: ['better-sqlite3'] });
