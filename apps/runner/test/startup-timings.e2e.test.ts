import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const runnerDir = fileURLToPath(new URL('..', import.meta.url));

describe('start-up timings', () => {
  it('TRADING_ORCHESTRATOR_TIMINGS=1 prints, after the run, when each step of the start was reached, in order', () => {
    const dir = mkdtempSync(join(tmpdir(), 'to-timings-'));
    try {
      const run = spawnSync(process.execPath, [cli, 'backtest', '--project', runnerDir, '--no-cache', '--no-journal', '--no-report'], { cwd: dir, env: { ...process.env, TRADING_ORCHESTRATOR_TIMINGS: '1' }, encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      const line = /^timings \(ms since the process started\): (.*)$/m.exec(run.stderr)?.[1];
      expect(line).toBeDefined();
      const marks = line!.split(', ').map((m) => /^(.+) (\d+)$/.exec(m)!.slice(1));
      expect(marks.map(([what]) => what)).toEqual(['modules loaded', 'command started', 'plugins discovered', 'config read', 'first bar', 'done']);
      const times = marks.map(([, at]) => Number(at));
      expect(times).toEqual([...times].sort((a, b) => a - b));
      // Without the variable, nothing of the kind.
      const quiet = spawnSync(process.execPath, [cli, '--version'], { cwd: dir, encoding: 'utf8' });
      expect(quiet.stderr).not.toContain('timings');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
