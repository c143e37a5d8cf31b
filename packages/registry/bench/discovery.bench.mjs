// Discovery over a project with 1,000 installed dependencies of which 20 are plugins (npm flat layout with a
// lockfile), cold (no discovery cache) and warm (cache hit). Prints figures; asserts nothing.
// Run: pnpm --filter @trading-orchestrator/registry bench   (or `pnpm bench` at the root)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discoverPlugins } from '../dist/index.js';

const DEPENDENCIES = 1_000;
const PLUGINS = 20;
const ROUNDS = 30;

function makeProject() {
  const root = mkdtempSync(join(tmpdir(), 'to-discovery-bench-'));
  const dependencies = {};
  for (let i = 0; i < DEPENDENCIES; i++) {
    const isPlugin = i % (DEPENDENCIES / PLUGINS) === 0;
    const name = isPlugin ? `@bench/plugin-${i}` : `dep-${i}`;
    dependencies[name] = '^1.0.0';
    const dir = join(root, 'node_modules', name);
    mkdirSync(join(dir, 'dist'), { recursive: true });
    const pkg = { name, version: '1.0.0', description: 'x'.repeat(400), main: 'index.js', keywords: ['a', 'b', 'c'], scripts: { test: 'node test' } };
    if (isPlugin) pkg['trading-orchestrator'] = { plugin: { id: `plugin-${i}`, kind: 'strategy', api: '^1.0.0', entry: './dist/index.js' } };
    writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
    writeFileSync(join(dir, 'dist', 'index.js'), 'export default {};\n');
  }
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'bench-project', version: '0.0.0', dependencies }));
  writeFileSync(join(root, 'package-lock.json'), JSON.stringify({ lockfileVersion: 3 }));
  return root;
}

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { median: at(0.5), p95: at(0.95), min: sorted[0] };
}

async function time(run) {
  const samples = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t0 = performance.now();
    await run();
    samples.push(performance.now() - t0);
  }
  return stats(samples);
}

const root = makeProject();
const cacheFile = join(root, 'node_modules', '.cache', 'trading-orchestrator', 'discovery.json');
try {
  const check = await discoverPlugins({ projectDir: root, cacheFile: false });
  if (check.byStatus('compatible').length !== PLUGINS) throw new Error(`expected ${PLUGINS} plugins, found ${check.entries.length}`);

  const cold = await time(() => discoverPlugins({ projectDir: root, cacheFile: false }));
  const coldWrite = await time(async () => {
    rmSync(cacheFile, { force: true });
    await discoverPlugins({ projectDir: root, cacheFile });
  });
  await discoverPlugins({ projectDir: root, cacheFile });
  const warm = await time(async () => {
    const c = await discoverPlugins({ projectDir: root, cacheFile });
    if (c.info.cache !== 'hit') throw new Error('expected a cache hit');
  });

  const fmt = (s) => `median ${s.median.toFixed(2)} ms  p95 ${s.p95.toFixed(2)} ms  min ${s.min.toFixed(2)} ms`;
  console.log(`discovery: ${DEPENDENCIES} dependencies, ${PLUGINS} plugins, ${ROUNDS} rounds each (Node ${process.version})`);
  console.log(`  cold, no cache           ${fmt(cold)}`);
  console.log(`  cold, writing the cache  ${fmt(coldWrite)}`);
  console.log(`  warm, cache hit          ${fmt(warm)}`);
  console.log(`  warm speed-up            ${(cold.median / warm.median).toFixed(1)}x`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
