import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './cli-harness.js';

const runnerDir = new URL('..', import.meta.url).pathname;
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'to-init-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const cli = (...argv: string[]) => runCli(dir, ...argv);

describe('trading-orchestrator init', () => {
  it('writes a commented starter run and the sample data beside it; the run backtests as it is, as the default job does', async () => {
    expect(await cli('init', '--project', runnerDir, '--no-cache')).toEqual({
      code: 0,
      out: `wrote ${join(dir, 'run.yaml')} and the sample data in ${join(dir, 'data')}; run it with: trading-orchestrator backtest --config ${join(dir, 'run.yaml')}\n`,
      err: '',
    });
    expect(readFileSync(join(dir, 'run.yaml'), 'utf8')).toContain('# Every field is described in docs/config-reference.md.');
    expect(existsSync(join(dir, 'data', 'SPY_D.csv')) && existsSync(join(dir, 'data', 'SOURCES.md'))).toBe(true);
    const run = await cli('backtest', '--config', 'run.yaml', '--project', runnerDir, '--no-cache', '--no-journal', '--json');
    const defaultJob = await cli('backtest', '--project', runnerDir, '--no-cache', '--no-journal', '--json');
    expect(run.code).toBe(0);
    expect((JSON.parse(run.out) as { portfolio: unknown }).portfolio).toEqual((JSON.parse(defaultJob.out) as { portfolio: unknown }).portfolio);
  });

  it('with only some reference plugins installed, writes a starter that runs with those, the rest commented out with their install command', async () => {
    const plugins = new URL('../../../plugins/', import.meta.url).pathname;
    const only = ['--plugin-path', join(plugins, 'data-file'), '--plugin-path', join(plugins, 'strategy-rsi'), '--no-cache'];
    const init = await cli('init', ...only);
    expect(init.out).toContain('not installed, so commented out in it: ma-crossover, bollinger-reversion, risk-guards, risk-var (npm install @trading-orchestrator/strategy-ma-crossover @trading-orchestrator/strategy-bollinger @trading-orchestrator/risk-guards @trading-orchestrator/risk-var)');
    const text = readFileSync(join(dir, 'run.yaml'), 'utf8');
    expect(text).toContain('  # ma-crossover is not installed: npm install @trading-orchestrator/strategy-ma-crossover, then remove the # of the lines below\n  # - plugin: ma-crossover');
    const run = await cli('backtest', '--config', 'run.yaml', '--no-journal', '--no-report', ...only);
    expect(run.err.split('\n').filter((l) => l !== '' && !l.startsWith('progress: '))).toEqual([]);
    expect(run.out).toMatch(/^rsi-mean-reversion\s+\d+/m);
  });

  it('refuses to overwrite an existing file unless forced', async () => {
    await cli('init', 'mine.yaml');
    expect(await cli('init', 'mine.yaml')).toEqual({ code: 1, out: '', err: `error: ${join(dir, 'mine.yaml')} already exists; pass --force to overwrite it\n` });
    expect((await cli('init', 'mine.yaml', '--force')).code).toBe(0);
    expect(existsSync(join(dir, 'mine.yaml'))).toBe(true);
  });
});

describe('trading-orchestrator plugins info', () => {
  it('shows the package, status and the config schema with defaults and rules', async () => {
    const { code, out } = await cli('plugins', 'info', 'ma-crossover', '--project', runnerDir, '--no-cache');
    expect(code).toBe(0);
    expect(out).toContain('ma-crossover (strategy): Moving-average crossover');
    expect(out).toMatch(/^status {3}compatible$/m);
    expect(out).toMatch(/^fast\?\s+integer\s+10\s+>= 1$/m);
    expect(out).toMatch(/^average\?\s+"sma" \| "ema"\s+"sma"$/m);
    expect(out).toMatch(/^fullConfidenceSpread\?\s+number\s+0\.01\s+> 0, <= 1$/m);
  });

  it('shows nested fields by their dotted path, and gives JSON for tools', async () => {
    const { out } = await cli('plugins', 'info', 'risk-guards', '--project', runnerDir, '--no-cache');
    expect(out).toMatch(/^circuitBreaker\.maxDrawdownPct\?\s+number\s+0\.2\s+> 0, <= 1$/m);
    const json = JSON.parse((await cli('plugins', 'info', 'risk-var', '--project', runnerDir, '--no-cache', '--json')).out) as { configSchema: { properties: Record<string, unknown> } };
    expect(Object.keys(json.configSchema.properties)).toContain('maxVarPct');
  });

  it('suggests the nearest id for a typo, and asks for an id when none is given', async () => {
    const typo = await cli('plugins', 'info', 'rsi-mean-revresion', '--project', runnerDir, '--no-cache');
    expect(typo.code).toBe(1);
    expect(typo.err).toMatch(/^error: no plugin "rsi-mean-revresion" is installed \(did you mean rsi-mean-reversion\?\)/);
    expect(await cli('plugins', 'info')).toEqual({ code: 2, out: '', err: 'error: plugins info needs a plugin id, e.g. trading-orchestrator plugins info ma-crossover\n' });
  });
});
