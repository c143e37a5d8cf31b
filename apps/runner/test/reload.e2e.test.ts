import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FakeBinance, KlineRow } from '@trading-orchestrator/data-binance/testing';
import { Journal } from '@trading-orchestrator/journal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from './cli-harness.js';
import { openingState, startPresentDayBinance } from './present-day-binance.js';

/**
 * A strategy upgraded while its paper session runs: `npm install` of a newer version (here: its package rewritten in
 * place), then `ctl reload`. The new version takes over with the old one's state, bars keep flowing, and a version
 * that cannot start leaves the running one in place.
 */
const pluginsDir = fileURLToPath(new URL('../../../plugins', import.meta.url));
// Inside the runner's folder, so the plugin's imports resolve as an installed package's would.
const workRoot = fileURLToPath(new URL('./.reload/', import.meta.url));
const WARMUP = 40;

let server: FakeBinance;
let dir: string;
let rows: readonly KlineRow[];
let pluginFolder: string;

/** Writes version `version` of the fixture: it signals every 3rd bar it has counted, with its version in the reason. */
function install(version: string, initBody = ''): void {
  const pkg = join(pluginFolder, 'fixture-versioned');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(
    join(pkg, 'package.json'),
    JSON.stringify({ name: 'fixture-versioned', version, type: 'module', exports: './index.js', peerDependencies: { '@trading-orchestrator/plugin-api': '^1.0.0' }, 'trading-orchestrator': { plugin: { id: 'fixture-versioned', kind: 'strategy', api: '^1.0.0', entry: './index.js' } } }),
  );
  writeFileSync(
    join(pkg, 'index.js'),
    `import { defineStrategy } from '@trading-orchestrator/plugin-api';
import { z } from 'zod';
export default defineStrategy({
  configSchema: z.object({}),
  init(ctx) {
    ${initBody}
    let counted = ctx.restoredState?.counted ?? 0;
    return {
      warmupBars: 0,
      onBar(bar) {
        counted++;
        if (counted % 3 !== 0) return undefined;
        return { symbol: bar.symbol, side: counted % 6 === 0 ? 'exit' : 'buy', strength: 1, reason: '${version} at ' + counted };
      },
      snapshot: () => ({ counted }),
    };
  },
});
`,
  );
}

beforeAll(async () => {
  ({ server, dir, rows } = await startPresentDayBinance({ warmup: WARMUP, live: 40 }));
  mkdirSync(workRoot, { recursive: true });
  pluginFolder = mkdtempSync(join(workRoot, 'plugins-'));
  writeFileSync(join(dir, 'paper.yaml'), `${(await import('node:fs')).readFileSync(join(dir, 'paper.yaml'), 'utf8').replace(/^strategies:\n(  .*\n)+/m, 'strategies:\n  - plugin: fixture-versioned\n')}`);
});

afterAll(() => {
  server?.close();
  rmSync(pluginFolder, { recursive: true, force: true });
});

describe('ctl reload against a running paper session', () => {
  it('swaps in the newer installed version with its state, keeps bars flowing, and keeps the running version when the new one fails', { timeout: 120_000 }, async () => {
    install('1.0.0');
    const session = startCli(dir, 'paper', '--config', 'paper.yaml', '--plugin-dir', pluginsDir, '--plugin-dir', pluginFolder, '--journal', 'paper.db', '--no-report', '--no-cache');
    await server.subscribed('btcusdt@kline_1m');
    const ctl = (...args: string[]) => runCli(dir, 'ctl', ...args, '--config', 'paper.yaml');
    const deadline = Date.now() + 60_000;
    while (!/^control API on /m.test(session.err())) {
      if (Date.now() > deadline) throw new Error(`no control API:\n${session.err()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    let next = WARMUP;
    const push = async (n: number) => {
      for (const row of rows.slice(next, next + n)) {
        server.pushKline('BTCUSDT', '1m', openingState(row), false);
        server.pushKline('BTCUSDT', '1m', row, true);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      next += n;
    };
    const reasons = async () => (JSON.parse((await ctl('signals', '--json')).out) as { signal: { reason: string } }[]).map((s) => s.signal.reason);
    const waitFor = async (what: string, test: (r: string[]) => boolean) => {
      const until = Date.now() + 60_000;
      for (;;) {
        const r = await reasons();
        if (test(r)) return r;
        if (Date.now() > until) throw new Error(`timed out waiting for ${what}; signals: ${r.join(', ')}`);
        await push(1);
      }
    };
    await push(4);
    await waitFor('a live signal of 1.0.0', (r) => r.some((x) => x.startsWith('1.0.0 at ') && Number(x.split(' at ')[1]) > WARMUP));

    install('1.1.0');
    const reloaded = await ctl('reload', 'fixture-versioned');
    expect(reloaded.err).toBe('');
    expect(reloaded.out.trim()).toBe('fixture-versioned: 1.0.0 -> 1.1.0, active');
    // The new version counts on from where the old one was: its first signal is at the next multiple of 3.
    const after = await waitFor('a signal of 1.1.0', (r) => r.some((x) => x.startsWith('1.1.0 at ')));
    const lastOld = Math.max(...after.filter((x) => x.startsWith('1.0.0')).map((x) => Number(x.split(' at ')[1])));
    const firstNew = Math.min(...after.filter((x) => x.startsWith('1.1.0')).map((x) => Number(x.split(' at ')[1])));
    expect(firstNew).toBe(lastOld + 3);

    install('1.2.0', "throw new Error('1.2.0 needs a setting this config lacks');");
    const refused = await ctl('reload', 'fixture-versioned');
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('fixture-versioned 1.2.0 could not take over: ');
    expect(refused.err).toContain('1.2.0 needs a setting this config lacks; 1.1.0 keeps running');
    const count = (await reasons()).length;
    await waitFor('1.1.0 signalling on after the refused reload', (r) => r.length > count && r.at(-1)!.startsWith('1.1.0 at '));
    const data = await ctl('reload', 'data:data-binance');
    expect(data.err).toContain('only strategies, risk plugins and notifiers are swapped while a session runs');

    expect((await ctl('stop')).code).toBe(0);
    await push(2);
    expect((await session.done).code).toBe(0);
    const journal = Journal.open(join(dir, 'paper.db'));
    try {
      const [run] = journal.listRuns();
      const actions = journal.pluginEvents(run!.id).filter((e) => e.kind === 'control' && e.message.startsWith('reload')).map((e) => e.message);
      expect(actions[0]).toBe('reload fixture-versioned 1.0.0 -> 1.1.0 by control API from 127.0.0.1');
      expect(actions[1]).toMatch(/^reload fixture-versioned refused: fixture-versioned 1\.2\.0 could not take over: .*1\.1\.0 keeps running by control API from 127\.0\.0\.1$/);
      expect(actions).toHaveLength(3);
    } finally {
      journal.close();
    }
  });
});
