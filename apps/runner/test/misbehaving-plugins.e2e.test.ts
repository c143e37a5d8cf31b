import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './cli-harness.js';

/** Third-party plugins that lie, change what they are given, flood or fail: the run goes on, and says who did what. */
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const pluginsDir = fileURLToPath(new URL('../../../plugins', import.meta.url));
const paths = ['data-misbehaving', 'strategy-misbehaving', 'risk-misbehaving'].flatMap((f) => ['--plugin-path', fixture(f)]);
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'to-misbehaving-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const runFile = (data: string, strategies: string, extra = '') => `
data:
  plugin: fixture-bad-data
  config: ${data}
symbols: [WAVE]
timeframe: 1d
start: 2024-01-01
end: 2025-01-01
capital: 10000
strategies:
${strategies}
${extra}`;

async function backtest(yaml: string, ...more: string[]) {
  writeFileSync(join(dir, 'run.yaml'), yaml);
  return runCli(dir, 'backtest', '--config', 'run.yaml', ...paths, '--plugin-dir', pluginsDir, '--no-cache', '--journal', 'runs.db', ...more);
}

function journal<T>(sql: string): T[] {
  const db = new Database(join(dir, 'runs.db'), { readonly: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

describe('a data plugin that lies', () => {
  it('has each bad bar refused and named (NaN, from 2099, out of order, duplicate, another symbol), and the run trades on the good ones', async () => {
    const { code, out, err } = await backtest(runFile('{ goodBars: 200 }', '  - plugin: fixture-misbehaving\n    config: { mode: behave }'), '--report', 'report.html');
    expect(code, err).toBe(0);
    expect(out).toMatch(/plugin problems/);
    const line = out.split('\n').find((l) => l.includes('fixture-bad-data:'))!;
    expect(line).toMatch(/5 bars refused/);
    for (const code of ['BAD_BAR', 'OUT_OF_RANGE', 'OUT_OF_ORDER', 'DUPLICATE', 'WRONG_SERIES']) expect(line).toContain(`1 × ${code}`);
    expect(line).toMatch(/WAVE: .*close/);
    // 200 good bars, every one traded on; none of the bad ones reached the account.
    expect(out).toMatch(/\b200 bars\b/);
    const refused = journal<{ kind: string; code: string; plugin_id: string }>('SELECT kind, code, plugin_id FROM plugin_events');
    expect(refused.filter((r) => r.kind === 'bar-refused' && r.plugin_id === 'fixture-bad-data')).toHaveLength(5);
    const fills = journal<{ price: number; time: number }>('SELECT price, time FROM fills');
    expect(fills.length).toBeGreaterThan(10);
    for (const f of fills) {
      expect(Number.isFinite(f.price)).toBe(true);
      expect(f.time).toBeLessThan(Date.UTC(2025, 0, 1));
    }
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('<h2>Plugin problems</h2>');
    expect(html).toMatch(/<li>fixture-bad-data: 5 bars refused/);
    const exported = await runCli(dir, 'journal', 'export', '1', '--journal', 'runs.db', '--what', 'problems', '--format', 'csv');
    expect(exported.code, exported.err).toBe(0);
    expect(exported.out.split('\n').filter((l) => l.includes('bar-refused'))).toHaveLength(5);
  });

  it('that throws mid-run: the error names the plugin, and the bars and trades before it stay in the journal', async () => {
    const { code, out, err } = await backtest(runFile("{ goodBars: 120, then: throw }", '  - plugin: fixture-misbehaving\n    config: { mode: behave }'), '--no-report');
    expect(code).toBe(1);
    expect(err).toMatch(/fixture-bad-data/);
    expect(err).toMatch(/the upstream API went away/);
    expect(err).not.toMatch(/\n\s+at /);
    expect(out + err).not.toMatch(/TypeError|undefined is not/);
    const runs = journal<{ status: string }>('SELECT status FROM runs');
    expect(runs.map((r) => r.status)).toEqual(['failed']);
    expect(journal<{ n: number }>('SELECT count(*) AS n FROM fills')[0]!.n).toBeGreaterThan(5);
  });
});

describe('a strategy that misbehaves', () => {
  it('cannot change a bar or its own position: every write is refused, prices and positions stay as they were', async () => {
    const both = "  - plugin: fixture-misbehaving\n    id: vandal\n    config: { mode: mutate }\n  - plugin: fixture-misbehaving\n    id: bystander\n    config: { mode: behave }";
    const { code, out, err } = await backtest(runFile('{ goodBars: 100 }', both), '--no-report');
    expect(code, err).toBe(0);
    const reasons = journal<{ reason: string }>("SELECT reason FROM signals WHERE strategy_id = 'vandal' AND reason LIKE 'buy%'").map((r) => r.reason);
    expect(reasons.length).toBeGreaterThan(5);
    // Each write threw (frozen objects in strict-mode code); the strategy caught it and counted.
    expect(reasons.at(-1)).toMatch(/mutations refused: [1-9]\d* bar, [1-9]\d* fill or position/);
    // The bystander's fills are at the data's prices, not at a close someone set to 0.
    const fills = journal<{ price: number; quantity: number }>("SELECT price, quantity FROM fills");
    for (const f of fills) {
      expect(f.price).toBeGreaterThan(80);
      expect(f.quantity).toBeLessThan(1e6);
    }
    expect(out).not.toMatch(/^\s+(vandal|bystander):/m);
    // The bystander trades exactly as it does in a run without the vandal.
    const trades = "SELECT entry_time, exit_time, quantity, pnl FROM trades WHERE strategy_id = 'bystander' ORDER BY seq";
    const withVandal = journal(trades);
    for (const file of ['runs.db', 'runs.db-wal', 'runs.db-shm']) rmSync(join(dir, file), { force: true });
    const alone = await backtest(runFile('{ goodBars: 100 }', "  - plugin: fixture-misbehaving\n    id: bystander\n    allocation: 0.5\n    config: { mode: behave }"), '--no-report');
    expect(alone.code, alone.err).toBe(0);
    expect(withVandal.length).toBeGreaterThan(5);
    expect(journal(trades)).toEqual(withVandal);
  });

  it('that answers with 100,000 signals at once has the first 100 taken and the rest counted, not booked one by one', async () => {
    const { code, out, err } = await backtest(runFile('{ goodBars: 100 }', '  - plugin: fixture-misbehaving\n    config: { mode: flood }'), '--no-report');
    expect(code, err).toBe(0);
    expect(out).toMatch(/SIGNAL_LIMIT/);
    const ignored = journal<{ code: string; n: number }>("SELECT code, count(*) AS n FROM ignored_signals WHERE code = 'SIGNAL_LIMIT' GROUP BY code");
    expect(ignored[0]?.n ?? 0).toBeGreaterThan(0);
    expect(ignored[0]!.n).toBeLessThan(20);
    expect(journal<{ n: number }>('SELECT count(*) AS n FROM signals')[0]!.n).toBeLessThan(10_000);
  });

  it('that buys a symbol the run does not trade has each signal refused and said, and no order is sent', async () => {
    const { code, out, err } = await backtest(runFile('{ goodBars: 100 }', '  - plugin: fixture-misbehaving\n    config: { mode: elsewhere }'), '--no-report');
    expect(code, err).toBe(0);
    expect(out).toMatch(/fixture-misbehaving: SYMBOL_NOT_TRADED ×10/);
    expect(journal<{ n: number }>("SELECT count(*) AS n FROM orders WHERE symbol = 'TSLA'")[0]!.n).toBe(0);
    expect(journal<{ message: string }>("SELECT message FROM ignored_signals WHERE code = 'SYMBOL_NOT_TRADED'")[0]!.message).toMatch(/TSLA is not one of the symbols .* trades \(WAVE\)/);
  });

  it('that throws on every bar is taken out of the run, and the summary, the journal and the report say so', async () => {
    const both = "  - plugin: fixture-misbehaving\n    id: thrower\n    config: { mode: throw }\n  - plugin: fixture-misbehaving\n    id: steady\n    config: { mode: behave }";
    const { code, out, err } = await backtest(runFile('{ goodBars: 100 }', both), '--report', 'report.html');
    expect(code, err).toBe(0);
    expect(out).toMatch(/thrower: onBar failed 5 times \(e\.g\. [^)]*bar 5 is one too many\); disabled: circuit breaker: 5 consecutive failures/);
    expect(out).toMatch(/^thrower \(out of the run\)\s+0\s/m);
    expect(Number(/^steady\s+(\d+)/m.exec(out)?.[1])).toBeGreaterThan(3);
    const events = journal<{ kind: string; code: string; time: number }>("SELECT kind, code, time FROM plugin_events WHERE plugin_id = 'thrower'");
    expect(events.filter((e) => e.kind === 'hook-failure')).toHaveLength(5);
    // Stamped in the run's time: the last bar the account booked before the 5th failure (the 9th bar, 2024-01-09).
    expect(events.filter((e) => e.kind === 'state').map((e) => [e.code, e.time])).toEqual([['DISABLED', Date.UTC(2024, 0, 8)]]);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toMatch(/<li>thrower: onBar failed/);
  });
});

describe('a strategy that keeps everything it sees', () => {
  it('is stopped before memory runs out: the run ends as failed with what it recorded, and says why', { timeout: 120_000 }, async () => {
    const yaml = `
data:
  plugin: data-synthetic
  config: { symbols: [{ symbol: ALPHA }] }
symbols: [ALPHA]
timeframe: 1m
start: 2024-01-01
end: 2024-03-01
strategies:
  - plugin: fixture-misbehaving
    config: { mode: hoard }
`;
    writeFileSync(join(dir, 'hoard.yaml'), yaml);
    const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
    const args = [cli, 'backtest', '--config', 'hoard.yaml', ...paths, '--plugin-dir', pluginsDir, '--no-cache', '--journal', 'runs.db', '--no-report'];
    const child = spawnSync(process.execPath, ['--max-old-space-size=192', ...args], { cwd: dir, encoding: 'utf8' });
    expect(child.signal, child.stderr).toBeNull();
    expect(child.status, child.stderr).toBe(1);
    expect(child.stderr).toMatch(/error: the run was stopped because memory ran short: \d+ MB of the \d+ MB heap in use \(a plugin may be keeping everything it sees\); the summary above covers the \d+ bars before it/);
    expect(child.stderr).not.toMatch(/\n\s+at /);
    const runs = journal<{ status: string; summary: string }>('SELECT status, summary FROM runs');
    expect(runs.map((r) => r.status)).toEqual(['failed']);
    expect(journal<{ n: number }>('SELECT count(*) AS n FROM equity')[0]!.n).toBeGreaterThan(100);
  });
});

describe('a risk plugin that tries to change the order', () => {
  it('cannot: its writes to the order and the account do not stick and its resize upward is ignored', async () => {
    const { code, out, err } = await backtest(runFile('{ goodBars: 100 }', '  - plugin: fixture-misbehaving\n    config: { mode: behave }', 'risk:\n  - plugin: fixture-risk-mutating\n'), '--no-report');
    expect(code, err).toBe(0);
    expect(out + err).not.toMatch(/writes stuck/);
    const fills = journal<{ price: number; quantity: number }>('SELECT price, quantity FROM fills');
    expect(fills.length).toBeGreaterThan(5);
    // 10,000 of capital at about 100 a unit buys at most about 100 units: not 100,000.
    for (const f of fills) expect(f.price * f.quantity).toBeLessThanOrEqual(10_000.01);
  });
});
