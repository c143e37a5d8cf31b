import { get as httpGet } from 'node:http';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface LocalRegistry {
  readonly url: string;
  /** An npm user config for this registry, with a publish token: point npm and pnpm at it with `env`. */
  readonly env: Readonly<Record<string, string>>;
  /** The registry's document for a package (its versions and dist-tags), or undefined when it has none. */
  packument(name: string): Promise<{ versions: Record<string, unknown>; 'dist-tags': Record<string, string> } | undefined>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/**
 * Verdaccio on 127.0.0.1 with its storage in `dir`, no uplinks (nothing is fetched from the internet), and one
 * user whose token is written into an npm user config that every npm and pnpm call of the test uses.
 */
export async function startLocalRegistry(dir: string): Promise<LocalRegistry> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  mkdirSync(join(dir, 'storage'), { recursive: true });
  const config = join(dir, 'verdaccio.yaml');
  writeFileSync(
    config,
    [
      `storage: ${join(dir, 'storage')}`,
      'auth:',
      '  htpasswd:',
      `    file: ${join(dir, 'htpasswd')}`,
      '    max_users: 10',
      'uplinks: {}',
      'packages:',
      "  '**':",
      '    access: $all',
      '    publish: $authenticated',
      'max_body_size: 500mb',
      'web:',
      '  enable: false',
      'log: { type: stdout, format: pretty, level: error }',
      '',
    ].join('\n'),
  );
  const bin = fileURLToPath(new URL('../node_modules/verdaccio/bin/verdaccio', import.meta.url));
  const child: ChildProcess = spawn(process.execPath, [bin, '--config', config, '--listen', `127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`verdaccio exited (${child.exitCode}):\n${output}`);
    try {
      if ((await fetch(`${url}/-/ping`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`verdaccio did not answer on ${url} within 60 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const user = await fetch(`${url}/-/user/org.couchdb.user:release-test`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'release-test', password: 'release-test-password', type: 'user', roles: [], date: new Date().toISOString() }),
  });
  const { token } = (await user.json()) as { token: string };
  const npmrc = join(dir, 'npmrc');
  writeFileSync(npmrc, `registry=${url}/\n//127.0.0.1:${port}/:_authToken=${token}\naudit=false\nfund=false\nupdate-notifier=false\n`);
  const env = {
    npm_config_userconfig: npmrc,
    npm_config_registry: `${url}/`,
    npm_config_cache: join(dir, 'npm-cache'),
    NPM_TOKEN: token,
  };
  return {
    url,
    env,
    async packument(name) {
      // A connection of its own for each request: verdaccio may close an idle keep-alive socket just as a pooled
      // client reuses it (EPIPE), more often on a loaded machine.
      const body = await getWithoutKeepAlive(`${url}/${name.replace('/', '%2f')}`, { authorization: `Bearer ${token}` });
      return body === undefined ? undefined : (JSON.parse(body) as { versions: Record<string, unknown>; 'dist-tags': Record<string, string> });
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** GET on a fresh connection; the body of a 2xx answer, undefined for another status. */
function getWithoutKeepAlive(url: string, headers: Record<string, string>): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const req = httpGet(url, { headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(res.statusCode !== undefined && res.statusCode < 300 ? body : undefined));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}
