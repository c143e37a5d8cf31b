import { describe, expect, it } from 'vitest';
import { Progress } from './progress.js';

const DAY = 86_400_000;
const span = { start: 0, end: 100 * DAY };

describe('progress', () => {
  it('on a terminal redraws one line with a bar, the share of the span done, the bars, the rate and the ETA, then clears it', () => {
    let out = '';
    const p = new Progress({ write: (t: string) => (out += t) }, span, true);
    p.update(2_400, 100 * DAY);
    expect(out).toMatch(/^\r\[#{24}\] 100% 2400 bars, \d+ bars\/s, ETA 0\.0 s$/);
    p.done();
    expect(out.endsWith('\r\u001b[2K')).toBe(true);
  });

  it('elsewhere prints a plain line at each tenth of the span, never a carriage return', () => {
    let out = '';
    const p = new Progress({ write: (t: string) => (out += t) }, span, false);
    for (let day = 1; day <= 100; day++) p.update(day * 24, day * DAY);
    const lines = out.trimEnd().split('\n');
    expect(lines.map((l) => /^progress: (\d+)% (\d+) bars/.exec(l)?.slice(1).join(' '))).toEqual(['10 240', '20 480', '30 720', '40 960', '50 1200', '60 1440', '70 1680', '80 1920', '90 2160']);
    expect(out).not.toContain('\r');
  });

  it('estimates the time left from the share of the span done', () => {
    let out = '';
    const p = new Progress({ write: (t: string) => (out += t) }, span, false);
    const t0 = performance.now();
    while (performance.now() - t0 < 20) {
      // Some time passes, so the rate and the estimate are defined.
    }
    p.update(1, 25 * DAY);
    const elapsed = (performance.now() - t0) / 1000;
    const eta = Number(/ETA (\d+\.\d) s/.exec(out)?.[1]);
    // A quarter done after `elapsed` seconds: three times that is left (to the printed precision).
    expect(eta).toBeGreaterThanOrEqual(Math.floor(3 * elapsed * 10) / 10 - 0.1);
    expect(eta).toBeLessThanOrEqual(3 * elapsed + 0.1);
  });
});
