import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { LocalRegistry } from './local-registry.js';

interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

/** Where Node would find package `name` for code in `from`: the nearest node_modules/name up the tree. */
function locate(name: string, from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * The installed third-party packages that `roots` need, transitively (dependencies, the optional ones installed on
 * this machine, and peers npm would install), as folders of this repository's install. Packages of this
 * repository are left out: changesets publishes those.
 */
export function thirdPartyClosure(roots: readonly string[], own: (name: string) => boolean): Map<string, string> {
  const found = new Map<string, string>();
  const visit = (dir: string): void => {
    const m = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
    const optional = new Set([...Object.keys(m.optionalDependencies ?? {}), ...Object.entries(m.peerDependenciesMeta ?? {}).filter(([, v]) => v.optional).map(([k]) => k)]);
    for (const name of Object.keys({ ...m.dependencies, ...m.optionalDependencies, ...m.peerDependencies })) {
      if (own(name)) continue;
      const at = locate(name, dir);
      if (at === undefined) {
        if (optional.has(name)) continue;
        throw new Error(`${m.name} needs ${name}, which is not installed in the workspace`);
      }
      const dep = JSON.parse(readFileSync(join(at, 'package.json'), 'utf8')) as Manifest;
      const key = `${dep.name}@${dep.version}`;
      if (found.has(key)) continue;
      found.set(key, at);
      visit(at);
    }
  };
  for (const root of roots) visit(root);
  return found;
}

/**
 * Publishes installed package folders to the registry over npm's publish protocol (one PUT per version, as
 * `npm publish` sends), so the registry can serve a full install without reaching the internet.
 */
/**
 * `fetch`, sent again when the connection broke before the registry read the request. A PUT on a kept-alive
 * connection that the registry closed while a big tarball was being packed fails with EPIPE or ECONNRESET, and
 * fetch retries only idempotent requests. It happened once in the fresh-clone runs of the full suite.
 */
async function sendAgain(url: string, init: RequestInit, attempts = 3): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch(url, init);
    } catch (error) {
      const code = (error as { cause?: { code?: unknown } }).cause?.code;
      const broken = code === 'EPIPE' || code === 'ECONNRESET' || code === 'UND_ERR_SOCKET';
      if (!broken || attempt >= attempts) throw error;
    }
  }
}

export async function publishInstalled(registry: LocalRegistry, folders: Iterable<string>, scratch: string): Promise<number> {
  const done = new Set<string>();
  for (const dir of folders) {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest & Record<string, unknown>;
    if (done.has(`${manifest.name}@${manifest.version}`)) continue;
    done.add(`${manifest.name}@${manifest.version}`);
    const tarball = join(scratch, `${createHash('sha1').update(dir).digest('hex')}.tgz`);
    tarFolder(tarball, dir);
    const data = readFileSync(tarball);
    const file = `${manifest.name.replace(/^@[^/]+\//, '')}-${manifest.version}.tgz`;
    const version = {
      ...manifest,
      _id: `${manifest.name}@${manifest.version}`,
      dist: {
        shasum: createHash('sha1').update(data).digest('hex'),
        integrity: `sha512-${createHash('sha512').update(data).digest('base64')}`,
        tarball: `${registry.url}/${manifest.name}/-/${file}`,
      },
    };
    const body = {
      _id: manifest.name,
      name: manifest.name,
      'dist-tags': { latest: manifest.version },
      versions: { [manifest.version]: version },
      _attachments: { [file]: { content_type: 'application/octet-stream', data: data.toString('base64'), length: data.length } },
    };
    const res = await sendAgain(`${registry.url}/${manifest.name.replace('/', '%2f')}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${registry.env['NPM_TOKEN']}` },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`publishing ${manifest.name}@${manifest.version} failed: ${res.status} ${await res.text()}`);
  }
  return done.size;
}

/**
 * Packs an installed package folder. Another install running beside the test (pnpm hard-links files from its store,
 * which changes their inode's ctime) can make GNU tar stop with "file changed as we read it": the folder is packed
 * again then, a few times, before that counts as a failure.
 */
function tarFolder(tarball: string, dir: string): void {
  for (let attempt = 1; ; attempt++) {
    try {
      // pnpm's store hard-links identical files; npm drops hard-link entries when it unpacks, so store copies instead.
      execFileSync('tar', ['-czf', tarball, '--hard-dereference', '--exclude=./node_modules', '--transform', 's,^\\.,package,', '-C', dir, '.'], { stdio: ['ignore', 'ignore', 'pipe'] });
      return;
    } catch (error) {
      const stderr = String((error as { stderr?: unknown }).stderr ?? '');
      if (attempt >= 5 || !stderr.includes('file changed as we read it')) throw error;
    }
  }
}

