// What a hot reload leaves behind: a real strategy package (strategy-ma-crossover) reloaded RELOADS times in one
// process, with the heap measured after a full GC. ESM never evicts a module, so each reload keeps the previous
// version's module; this prints what that costs, the figure the runner's control.maxReloads bound rests on.
//   node --expose-gc bench/reload.bench.mjs        (RELOADS=200 by default)
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PluginManager } from '../dist/index.js';

if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc');
const reloads = Number(process.env.RELOADS ?? 200);
const packageDir = fileURLToPath(new URL('../../../plugins/strategy-ma-crossover/', import.meta.url));
const packageJson = JSON.parse(readFileSync(`${packageDir}package.json`, 'utf8'));
const manifest = packageJson['trading-orchestrator'].plugin;
const plugin = { id: manifest.id, kind: 'strategy', version: packageJson.version, packageName: packageJson.name, packageDir, manifest };
const entryBytes = readFileSync(`${packageDir}${manifest.entry.slice(2)}`).length;

const manager = new PluginManager({ log: () => {} });
await manager.load([{ plugin, config: {} }]);
await manager.start();
const heap = () => {
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed;
};
// The first reload compiles what every later one shares (zod's schemas are built once per module, too).
await manager.reload(manifest.id);
const base = heap();
const rssBase = process.memoryUsage().rss;
const marks = [];
const started = performance.now();
for (let i = 1; i <= reloads; i++) {
  const result = await manager.reload(manifest.id);
  if (!result.ok) throw result.error;
  if (i % 50 === 0 || i === reloads) marks.push({ reloads: i, heap: heap() - base });
}
const elapsed = performance.now() - started;
const last = marks.at(-1);
console.log(`reload of ${packageJson.name} (entry ${(entryBytes / 1024).toFixed(1)} KB): ${(elapsed / reloads).toFixed(2)} ms a reload`);
console.log(`heap after GC, above the first reload: ${marks.map((m) => `${m.reloads}: ${(m.heap / 1024).toFixed(0)} KB`).join(', ')}`);
console.log(`left behind: about ${(last.heap / last.reloads / 1024).toFixed(1)} KB of heap a reload (RSS +${((process.memoryUsage().rss - rssBase) / 1024 / 1024).toFixed(1)} MB after ${reloads})`);
await manager.shutdown();
