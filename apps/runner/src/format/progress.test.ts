import { describe, expect, it } from 'vitest';
import { Progress } from './progress.js';

describe('progress', () => {
  it('on a terminal redraws one line with a bar, the count, the rate and the ETA, then clears it', () => {
    let out = '';
    const p = new Progress({ write: (t: string) => (out += t) }, 100, true);
    p.update(100);
    expect(out).toMatch(/^\r\[#{24}\] 100% 100\/100 bars, \d+ bars\/s, ETA 0\.0 s$/);
    p.done();
    expect(out.endsWith('\r\u001b[2K')).toBe(true);
  });

  it('elsewhere prints a plain line at each tenth, never a carriage return', () => {
    let out = '';
    const p = new Progress({ write: (t: string) => (out += t) }, 1_000, false);
    for (let i = 1; i <= 1_000; i++) p.update(i);
    const lines = out.trimEnd().split('\n');
    expect(lines.map((l) => /^progress: (\d+)%/.exec(l)?.[1])).toEqual(['10', '20', '30', '40', '50', '60', '70', '80', '90']);
    expect(out).not.toContain('\r');
  });
});
