import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A file the dashboard's page loads. */
export interface Asset {
  readonly type: string;
  readonly body: Buffer;
}

/**
 * What the dashboard's page may do, sent as its Content-Security-Policy: its own scripts only (no inline script,
 * no eval, nothing from elsewhere), fetch and WebSocket to this server only, panels' frames from this server only.
 */
export const DASHBOARD_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const TYPES: Readonly<Record<string, string>> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

/** The runner package's folder, from this file's place in `src/` or in `dist/`. */
function packageDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('the runner package folder was not found above its code');
    dir = up;
  }
  return dir;
}

/**
 * The dashboard's files by URL path: the page (`dashboard/` in this package) and the libraries it imports, served
 * as their packages ship them. Read once, on the first request: a session without a browser reads none.
 */
export class DashboardAssets {
  private files: Map<string, Asset> | undefined;

  get(path: string): Asset | undefined {
    this.files ??= loadAssets();
    return this.files.get(path === '/' ? '/index.html' : path);
  }
}

function loadAssets(): Map<string, Asset> {
  const root = packageDir();
  const require = createRequire(join(root, 'package.json'));
  const inPackage = (name: string, file: string) => join(dirname(require.resolve(`${name}/package.json`)), file);
  const sources: Record<string, string> = {
    '/index.html': join(root, 'dashboard', 'index.html'),
    '/assets/app.js': join(root, 'dashboard', 'app.js'),
    '/assets/charts.js': join(root, 'dashboard', 'charts.js'),
    '/assets/feed.js': join(root, 'dashboard', 'feed.js'),
    '/assets/past-runs.js': join(root, 'dashboard', 'past-runs.js'),
    '/assets/app.css': join(root, 'dashboard', 'app.css'),
    '/assets/vendor/preact.js': inPackage('preact', 'dist/preact.mjs'),
    '/assets/vendor/preact-hooks.js': inPackage('preact', 'hooks/dist/hooks.mjs'),
    '/assets/vendor/htm.js': join(dirname(require.resolve('htm')), 'htm.mjs'),
    '/assets/vendor/lightweight-charts.js': inPackage('lightweight-charts', 'dist/lightweight-charts.standalone.production.mjs'),
  };
  const files = new Map<string, Asset>();
  for (const [path, file] of Object.entries(sources)) {
    const body = readFileSync(file);
    // The libraries import each other by bare name; the page has no import map (it would need inline script).
    const text = path.startsWith('/assets/vendor/') ? Buffer.from(body.toString('utf8').replace(/from\s*"preact"/g, 'from"./preact.js"').replace(/from\s*'preact'/g, "from'./preact.js'")) : body;
    files.set(path, { type: TYPES[file.slice(file.lastIndexOf('.'))] ?? 'application/octet-stream', body: text });
  }
  return files;
}
