import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SAMPLES_DIR } from '../src/commands/default-backtest.js';
import { runCli } from './cli-harness.js';

const runnerDir = fileURLToPath(new URL('..', import.meta.url));
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'to-shadow-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('a shadow strategy', () => {
  it('is compared with the live one, signal by signal, in the summary and the report', async () => {
    writeFileSync(
      join(dir, 'run.yaml'),
      ['data:', '  plugin: data-file', '  config:', `    baseDir: ${JSON.stringify(SAMPLES_DIR)}`, '    files: [{ path: SPY_D.csv, symbol: SPY, timeframe: 1d }]', 'symbols: [SPY]', 'timeframe: 1d', 'start: 2012-01-01', 'end: 2019-10-17', 'strategies:', '  - plugin: ma-crossover', '  - plugin: ma-crossover', '    id: fast-cross', '    shadow: true', '    config: { fast: 5, slow: 20 }'].join('\n'),
    );
    const { code, out } = await runCli(dir, 'backtest', '--config', 'run.yaml', '--project', runnerDir, '--no-cache', '--no-journal', '--report', 'report.html');
    expect(code).toBe(0);
    const line = /^ {2}fast-cross \(shadow\) vs ma-crossover: agreed (\d+), disagreed (\d+), only the shadow (\d+), only ma-crossover (\d+)$/m.exec(out);
    expect(line, out).not.toBeNull();
    // The faster pair crosses far more often than the 10/30 one.
    expect(Number(line![3])).toBeGreaterThan(Number(line![4]));
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('<h2>Shadow strategies</h2>');
    // The price chart marks the live strategy's entries and exits.
    expect(html).toContain('<h2>Prices and trades</h2>');
    expect(html.match(/<polygon class="marker entry"/g)?.length).toBeGreaterThan(0);
    expect(html.match(/<polygon class="marker exit"/g)?.length).toBe(html.match(/<polygon class="marker entry"/g)?.length);
    expect(html).toMatch(new RegExp(`<tr><th>fast-cross</th><td>ma-crossover</td><td>${line![1]}</td><td>${line![2]}</td><td>${line![3]}</td><td>${line![4]}</td></tr>`));
  }, 60_000);
});
