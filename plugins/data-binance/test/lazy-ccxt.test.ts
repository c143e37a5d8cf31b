import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

// Runs in a child process with a module resolution hook that reports every module loaded, so the check sees
// what a runner process really imports.
const probe = `
import { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';
const { port1, port2 } = new MessageChannel();
const loaded = [];
port1.on('message', (url) => loaded.push(url));
register('data:text/javascript,' + encodeURIComponent(\`
  let port;
  export function initialize(data) { port = data.port; }
  export async function resolve(specifier, context, next) { const r = await next(specifier, context); port.postMessage(r.url); return r; }
\`), { data: { port: port2 }, transferList: [port2] });
const settle = () => new Promise((r) => setTimeout(r, 100));
const ccxtLoaded = () => loaded.some((url) => url.includes('/ccxt/'));
const { binanceSource } = await import('./dist/index.js');
await settle();
const afterImport = ccxtLoaded();
const ctx = { pluginId: 'data-binance', config: binanceSource.configSchema.parse({ urls: { rest: 'http://127.0.0.1:9' }, retries: { max: 0 } }),
  logger: { debug() {}, info() {}, warn() {}, error() {} }, clock: { now: Date.now }, signal: new AbortController().signal, subscribe: () => () => {} };
const source = await binanceSource.init(ctx);
await settle();
const afterInit = ccxtLoaded();
await source.start().catch(() => {});
await settle();
console.log(JSON.stringify({ afterImport, afterInit, afterStart: ccxtLoaded() }));
port1.close();
`;

it('loads ccxt when the plugin starts, not when the runner imports or initialises it', { timeout: 60_000 }, () => {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', probe], { cwd: fileURLToPath(new URL('..', import.meta.url)), encoding: 'utf8' });
  expect(JSON.parse(out)).toEqual({ afterImport: false, afterInit: false, afterStart: true });
});
