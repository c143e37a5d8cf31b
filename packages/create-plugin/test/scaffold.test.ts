import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SCAFFOLD_KINDS, scaffoldPlugin } from '../src/index.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

/**
 * Gives a scaffolded package the dependencies it declares, linked from this repository's install instead of
 * downloaded, so its own build and tests run offline exactly as the author would run them.
 */
function linkDependencies(dir: string): void {
  const from: Record<string, string> = {
    '@trading-orchestrator/plugin-api': join(repo, 'packages/plugin-api'),
    '@trading-orchestrator/plugin-testkit': join(repo, 'packages/plugin-testkit'),
    zod: realpathSync(join(repo, 'packages/plugin-api/node_modules/zod')),
    '@types/node': realpathSync(join(repo, 'node_modules/@types/node')),
    tsup: realpathSync(join(repo, 'node_modules/tsup')),
    typescript: realpathSync(join(repo, 'node_modules/typescript')),
    vitest: realpathSync(join(repo, 'node_modules/vitest')),
  };
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies: object; devDependencies: object };
  // Every dependency it declares is one of these (a panel needs neither zod nor the test kit).
  expect(Object.keys(from)).toEqual(expect.arrayContaining(Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })));
  mkdirSync(join(dir, 'node_modules/@trading-orchestrator'), { recursive: true });
  mkdirSync(join(dir, 'node_modules/@types'));
  mkdirSync(join(dir, 'node_modules/.bin'));
  for (const [name, target] of Object.entries(from)) symlinkSync(target, join(dir, 'node_modules', name), 'dir');
  for (const [bin, file] of [['tsup', 'tsup/dist/cli-default.js'], ['vitest', 'vitest/vitest.mjs']] as const) symlinkSync(join(dir, 'node_modules', file), join(dir, 'node_modules/.bin', bin));
}

function npmRun(dir: string, script: string): { status: number | null; output: string } {
  const result = spawnSync('npm', ['run', script, '--silent'], { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('scaffolding a plugin', () => {
  for (const kind of SCAFFOLD_KINDS) {
    it(`a ${kind} plugin builds, typechecks and passes the ${kind} conformance suite as scaffolded`, { timeout: 180_000 }, () => {
      const dir = join(mkdtempSync(join(tmpdir(), 'to-scaffold-')), `my-${kind}`);
      const result = scaffoldPlugin({ name: `@acme/my-${kind}`, kind, directory: dir });
      expect(result.id).toBe(`my-${kind}`);
      linkDependencies(dir);
      for (const script of ['build', 'typecheck', 'test']) {
        const { status, output } = npmRun(dir, script);
        expect(status, `npm run ${script}:\n${output}`).toBe(0);
      }
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { peerDependencies: Record<string, string>; 'trading-orchestrator': { plugin: { api: string; kind: string } } };
      expect(pkg['trading-orchestrator'].plugin.kind).toBe(kind);
      expect(pkg.peerDependencies['@trading-orchestrator/plugin-api']).toBe(pkg['trading-orchestrator'].plugin.api);
    });
  }

  it('starts from the versions this repository builds its own plugins with', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'to-scaffold-')), 'p');
    scaffoldPlugin({ name: 'pp', kind: 'strategy', directory: dir });
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    const root = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    const api = JSON.parse(readFileSync(join(repo, 'packages/plugin-api/package.json'), 'utf8')) as { version: string };
    expect(pkg.devDependencies).toMatchObject({ tsup: root.devDependencies['tsup'], vitest: root.devDependencies['vitest'], typescript: root.devDependencies['typescript'], '@trading-orchestrator/plugin-api': `^${api.version}` });
  });

  it('refuses a bad name, an unknown kind, a bad id and a folder in use, writing nothing', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'to-scaffold-'));
    expect(() => scaffoldPlugin({ name: 'My Plugin', kind: 'strategy' }, cwd)).toThrow(expect.objectContaining({ code: 'SCAFFOLD_INVALID', path: 'name', message: '"My Plugin" is not a valid npm package name' }));
    expect(() => scaffoldPlugin({ name: 'pp', kind: 'exchange' as 'strategy' }, cwd)).toThrow(expect.objectContaining({ path: 'kind', hint: 'use --kind strategy|data|risk|indicator|notifier|panel|broker' }));
    expect(() => scaffoldPlugin({ name: 'pp', kind: 'risk', id: 'Bad Id' }, cwd)).toThrow(expect.objectContaining({ path: 'id' }));
    mkdirSync(join(cwd, 'taken'));
    writeFileSync(join(cwd, 'taken', 'x'), '');
    expect(() => scaffoldPlugin({ name: 'taken', kind: 'risk' }, cwd)).toThrow(expect.objectContaining({ path: 'directory' }));
  });

  it('is run as `npm create @trading-orchestrator/plugin <name> -- --kind <kind>`', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'to-scaffold-'));
    const out = execFileSync(process.execPath, [cli, 'my-rsi', '--kind', 'indicator'], { cwd, encoding: 'utf8' });
    expect(out).toContain('Created indicator plugin "my-rsi" (my-rsi) in my-rsi:');
    const bad = spawnSync(process.execPath, [cli, 'my-rsi'], { cwd, encoding: 'utf8' });
    expect([bad.status, bad.stderr]).toEqual([2, expect.stringContaining('--kind is required\nUsage: npm create @trading-orchestrator/plugin <package-name> -- --kind strategy|data|risk|indicator|notifier|panel|broker')]);
  });
});
