import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FakeBinance, KlineRow } from '@trading-orchestrator/data-binance/testing';
import { Journal } from '@trading-orchestrator/journal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli-harness.js';
import { openingState, startPresentDayBinance } from './present-day-binance.js';

/**
 * A paper session against a local Binance with the webhook notifier pointed at a local server that refuses its
 * first two deliveries: they are tried again, trading goes on meanwhile, and the session's trades and its end
 * arrive as Slack messages.
 */
const pluginsDir = fileURLToPath(new URL('../../../plugins', import.meta.url));
const WARMUP = 60;
const LIVE = 40;

let exchange: FakeBinance;
let webhook: Server;
let dir: string;
let rows: readonly KlineRow[];
const received: { text: string }[] = [];
let refusals = 2;

beforeAll(async () => {
  webhook = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (refusals > 0) {
        refusals--;
        res.writeHead(503).end();
        return;
      }
      received.push(JSON.parse(body) as { text: string });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => webhook.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/services/T0/B0/SECRET-TOKEN`;
  ({ server: exchange, dir, rows } = await startPresentDayBinance({ warmup: WARMUP, live: LIVE + 5, extraConfig: `notifiers:\n  - plugin: notifier-webhook\n    config: { url: "\${HOOK}", format: slack }\n    retryDelayMs: 50\n` }));
  writeFileSync(join(dir, 'hook.env'), url);
});

afterAll(() => {
  exchange?.close();
  webhook?.close();
});

describe('notifications from a paper session', () => {
  it('posts its trades and its end to the webhook, retrying what was refused, without the secret in any output', { timeout: 120_000 }, async () => {
    const url = readFileSync(join(dir, 'hook.env'), 'utf8');
    const session = (async () => {
      const { main } = await import('../src/main.js');
      let out = '';
      let err = '';
      const code = await main(['paper', '--config', 'paper.yaml', '--plugin-dir', pluginsDir, '--bars', String(LIVE), '--journal', 'paper.db', '--no-report'], { cwd: dir, env: { HOOK: url }, stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) } });
      return { code, out, err };
    })();
    await exchange.subscribed('btcusdt@kline_1m');
    for (const row of rows.slice(WARMUP)) {
      exchange.pushKline('BTCUSDT', '1m', openingState(row), false);
      exchange.pushKline('BTCUSDT', '1m', row, true);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const { code, out, err } = await session;
    expect(code, `${out}\n${err}`).toBe(0);
    expect(`${out}${err}`).not.toContain('SECRET-TOKEN');
    const journal = Journal.open(join(dir, 'paper.db'));
    try {
      const [run] = journal.listRuns();
      const trades = journal.trades(run!.id);
      const tradeTexts = received.filter((m) => / closed (long|short) BTC\/USDT: [+-]\d+\.\d\d [A-Z]+$/m.test(m.text.split('\n')[0]!));
      expect(tradeTexts).toHaveLength(trades.length);
      expect(received.at(-1)!.text).toMatch(/^session ended: finished\n\d+ bars; equity \d+\.\d\d [A-Z]+$/);
      // The two refusals were retried: nothing was dropped, so no notifier failure was journaled.
      expect(journal.pluginEvents(run!.id).filter((e) => e.pluginId === 'notifier-webhook')).toEqual([]);
    } finally {
      journal.close();
    }
    expect(refusals).toBe(0);
  });
});
