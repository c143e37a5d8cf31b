import { objectiveName } from './objective.js';
import type { OptimizeSection } from './optimize-config.js';
import { bestTrial, type FinishedTrial } from './sweep.js';
import type { WindowResult } from './walk-forward.js';
import { formatValues } from './render-sweep.js';

const clock = (ms: number) => {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : s < 3600 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
};

/**
 * A sweep's progress: trials done of the planned number, the best so far and the time left, measured on the trials
 * run in this process (replayed ones take no time). On a terminal one line redrawn; elsewhere a line every 10%.
 */
export class SweepProgress {
  private planned = 0;
  private ran = 0;
  private ranMs = 0;
  private lastDecile = -1;
  private lastDraw = 0;

  constructor(
    private readonly out: { write(text: string): unknown },
    private readonly tty: boolean,
    private readonly optimize: OptimizeSection,
  ) {}

  begin(planned: number): void {
    this.planned = planned;
  }

  trial(trial: FinishedTrial, all: readonly FinishedTrial[]): void {
    if (this.planned === 0) this.planned = this.optimize.trials;
    if (!trial.replayed) {
      this.ran++;
      this.ranMs += trial.outcome.elapsedMs;
    }
    const done = all.length;
    const best = bestTrial(all);
    const left = Math.max(0, this.planned - done);
    const eta = this.ran === 0 ? '' : ` · about ${clock((this.ranMs / this.ran) * left)} left`;
    const bestText = best === undefined ? 'no trial meets the constraints yet' : `best ${objectiveName(this.optimize)} ${best.outcome.score.toFixed(3)} (${formatValues(best.values)})`;
    const line = `trials ${done}/${this.planned} · ${bestText}${eta}`;
    const now = performance.now();
    if (this.tty) {
      if (now - this.lastDraw < 100 && done < this.planned) return;
      this.lastDraw = now;
      this.out.write(`\r\x1b[2K${line}`);
      return;
    }
    const decile = Math.floor((done / Math.max(1, this.planned)) * 10);
    if (decile > this.lastDecile) {
      this.lastDecile = decile;
      this.out.write(`progress: ${line}\n`);
    }
  }

  /** A walk-forward window is done: its own trials start over from zero. */
  window(result: WindowResult): void {
    this.lastDecile = -1;
    if (this.tty) this.out.write('\r\x1b[2K');
    const chosen = result.chosen === undefined ? 'no trial met the constraints' : `chose ${formatValues(result.chosen.values)}`;
    const test = result.test?.metrics === undefined ? '' : `; tested: return ${(result.test.metrics.totalReturn * 100).toFixed(2)}%`;
    this.out.write(`window ${result.window.index + 1}: ${chosen}${test}\n`);
  }

  done(): void {
    if (this.tty) this.out.write('\r\x1b[2K');
  }
}
