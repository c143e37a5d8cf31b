import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { describe, expect, it } from 'vitest';
import { repo, workspacePackages, type PackageJson } from './workspace-packages.js';

const pnpm = join(repo, 'node_modules/.bin/pnpm');
const LINT = 'publint --strict && attw --pack . --profile esm-only';
const packages = workspacePackages().filter(({ pkg }) => pkg.private !== true);

/** The files `pnpm pack` would publish, and the package.json it would publish with them. */
function packed(dir: string): { files: string[]; manifest: PackageJson } {
  const out = mkdtempSync(join(tmpdir(), 'to-pack-'));
  const json = JSON.parse(execFileSync(pnpm, ['pack', '--json', '--pack-destination', out], { cwd: dir, encoding: 'utf8' })) as { filename: string; files: { path: string }[] };
  const manifest = JSON.parse(execFileSync('tar', ['-xzOf', json.filename, 'package/package.json'], { encoding: 'utf8' })) as PackageJson;
  return { files: json.files.map((f) => f.path).sort(), manifest };
}

describe('every publishable workspace package', () => {
  it('there are packages to check, and the release tests depend on each, so turbo builds them all first', () => {
    expect(packages.length).toBeGreaterThanOrEqual(18);
    const own = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { devDependencies: Record<string, string> };
    expect(packages.map(({ pkg }) => pkg.name).filter((name) => own.devDependencies[name] !== 'workspace:*'), 'add these to tests/release devDependencies as workspace:*').toEqual([]);
  });

  for (const { dir, pkg } of packages) {
    describe(pkg.name, () => {
      it('passes publint --strict, and lints with publint and attw (esm-only) in CI', async () => {
        const { messages, pkg: read } = await publint({ pkgDir: dir, strict: true, pack: 'pnpm' });
        expect(messages.map((m) => formatMessage(m, read))).toEqual([]);
        // A panel ships a browser script and no types: attw has nothing to check.
        expect(pkg.scripts?.['lint']).toBe(pkg['trading-orchestrator']?.plugin?.kind === 'panel' ? 'publint --strict' : LINT);
        expect(pkg.engines?.['node']).toBe('>=20.19');
      });

      it('ships only its build, README, licence and package.json, with workspace ranges rewritten', () => {
        const { files, manifest } = packed(dir);
        // The runner also ships the default job's market data, with where it comes from and the licences it is under,
        // and the dashboard's page.
        const data = pkg.name === '@trading-orchestrator/runner' ? /^(samples\/([\w-]+\.csv|SOURCES\.md|LICENSE-[\w-]+\.txt)|dashboard\/[\w-]+\.(html|js|css))$/ : /^$/;
        expect(files.filter((f) => !/^(dist\/.*\.(js|d\.ts)|README\.md|CHANGELOG\.md|LICENSE|package\.json)$/.test(f) && !data.test(f))).toEqual([]);
        if (pkg.name === '@trading-orchestrator/runner') expect(files).toEqual(expect.arrayContaining(['samples/SPY_D.csv', 'samples/Coinbase_BTCUSD_d.csv', 'samples/SOURCES.md', 'dashboard/index.html', 'dashboard/app.js']));
        expect(files).toContain('README.md');
        const ranges = { ...manifest.dependencies, ...manifest.peerDependencies };
        expect(Object.entries(ranges).filter(([, r]) => r.startsWith('workspace:'))).toEqual([]);
      });

      if (pkg['trading-orchestrator']?.plugin !== undefined) {
        it("peers on plugin-api with exactly its manifest's api range, and ships its entry", () => {
          const plugin = pkg['trading-orchestrator']!.plugin!;
          expect(pkg.peerDependencies?.['@trading-orchestrator/plugin-api']).toBe(plugin.api);
          expect(packed(dir).files).toContain(plugin.entry.replace(/^\.\//, ''));
        });
      }
    });
  }
});
