import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverPlugins } from '../src/index.js';

/**
 * A stranger's package.json can hold anything. Whatever it holds, discovery lists the package with a status and
 * every problem at a path, or records why the folder is not a plugin; it never throws and never lets a broken
 * manifest through as usable.
 */
// FUZZ_RUNS sets the cases per property; they take seconds on a loaded machine, so each test has a generous timeout.
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 150);
let root: string;
let n = 0;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'to-manifest-fuzz-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function discoverText(text: string) {
  const dir = join(root, `p${n++}`);
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), text);
  const catalog = await discoverPlugins({ projectDir: root, pluginPaths: [dir], cacheFile: false, env: {} });
  rmSync(dir, { recursive: true, force: true });
  return catalog;
}

function describesItself(catalog: Awaited<ReturnType<typeof discoverPlugins>>): void {
  const entries = catalog.entries;
  const problems = catalog.problems;
  expect(entries.length + problems.length).toBeGreaterThan(0);
  for (const p of problems) {
    expect(typeof p.path).toBe('string');
    expect(p.message.length).toBeGreaterThan(0);
  }
  for (const e of entries) {
    expect(['compatible', 'incompatible', 'invalid', 'conflict']).toContain(e.status);
    if (e.status === 'compatible') {
      expect(e.manifest).toBeDefined();
      // Whatever else passes, the code a usable plugin names is inside its package.
      expect(e.manifest!.entry.startsWith('./') && !e.manifest!.entry.split('/').includes('..')).toBe(true);
      expect(e.problems.every((p) => p.severity !== 'error')).toBe(true);
    } else {
      expect((e.reason ?? '').length).toBeGreaterThan(0);
    }
    for (const p of e.problems) expect(p.path.length).toBeGreaterThan(0);
  }
}

const kind = fc.constantFrom('strategy', 'data', 'risk', 'broker', 'indicator', 'Strategy', '', 'plugin');
const anyValue = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }), fc.object({ maxDepth: 1 }));
const manifest = fc.record(
  {
    id: fc.oneof(fc.constantFrom('my-plugin', 'My Plugin', '', 'a'.repeat(300), '../x'), anyValue),
    kind: fc.oneof(kind, anyValue),
    api: fc.oneof(fc.constantFrom('^1.0.0', '^1.1.0', '>=1', '^2.0.0', 'latest', '1.x', '*', ''), anyValue),
    entry: fc.oneof(fc.constantFrom('./index.js', 'dist/index.js', '../../etc/passwd', '/abs.js', ''), anyValue),
    displayName: anyValue,
    capabilities: fc.oneof(fc.record({ timeframes: fc.oneof(fc.array(fc.constantFrom('1m', '1h', '1d', '7x'), { maxLength: 3 }), anyValue), symbols: anyValue, feeds: anyValue }, { requiredKeys: [] }), anyValue),
    dependencies: fc.oneof(fc.dictionary(fc.string({ maxLength: 6 }), fc.constantFrom('^1.0.0', 'x', '')), anyValue),
    extra: anyValue,
  },
  { requiredKeys: [] },
);

describe('discovery of generated package.json files', () => {
  it('any text in package.json', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 200 }), async (text) => describesItself(await discoverText(text))),
      { numRuns: RUNS },
    );
  });

  it('JSON with a manifest field holding anything', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), anyValue, async (field, version) =>
        describesItself(await discoverText(JSON.stringify({ name: 'x', version, 'trading-orchestrator': { plugin: field } })))),
      { numRuns: RUNS },
    );
  });

  it('manifests close to right, with one or more fields wrong', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(manifest, fc.constantFrom('1.0.0', '0.1.0-beta.1', 'not-semver'), async (m, version) =>
        describesItself(await discoverText(JSON.stringify({ name: 'fuzz-plugin', version, 'trading-orchestrator': { plugin: m } })))),
      { numRuns: RUNS },
    );
  });
});
