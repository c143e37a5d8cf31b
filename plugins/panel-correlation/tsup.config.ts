import { defineConfig } from 'tsup';

// A browser script, not a module: the dashboard inlines it in the panel's sandboxed frame.
export default defineConfig({
  entry: { panel: 'src/panel.ts' },
  format: ['iife'],
  platform: 'browser',
  target: 'es2022',
  outExtension: () => ({ js: '.js' }),
  minify: true,
  sourcemap: false,
  dts: false,
  clean: true,
});
