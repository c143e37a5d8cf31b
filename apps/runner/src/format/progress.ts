/**
 * Progress of a long run: on a terminal one line redrawn at most every 100 ms (bar, count, bars/s, ETA); elsewhere
 * a plain line at every 10%.
 */
export class Progress {
  private readonly started = performance.now();
  private lastDraw = 0;
  private lastDecile = 0;

  constructor(
    private readonly out: { write(text: string): unknown },
    private readonly total: number,
    private readonly tty: boolean,
  ) {}

  update(done: number): void {
    const now = performance.now();
    if (this.tty) {
      if (now - this.lastDraw < 100 && done < this.total) return;
      this.lastDraw = now;
      this.out.write(`\r${this.line(done, now)}`);
      return;
    }
    const decile = Math.floor((done / this.total) * 10);
    if (decile > this.lastDecile && decile < 10) {
      this.lastDecile = decile;
      this.out.write(`progress: ${this.line(done, now)}\n`);
    }
  }

  done(): void {
    if (this.tty) this.out.write('\r\u001b[2K');
  }

  private line(done: number, now: number): string {
    const seconds = (now - this.started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const eta = rate > 0 ? (this.total - done) / rate : Number.NaN;
    const width = 24;
    const filled = Math.round((done / this.total) * width);
    const bar = this.tty ? `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ` : '';
    return `${bar}${((done / this.total) * 100).toFixed(0)}% ${done}/${this.total} bars, ${Math.round(rate)} bars/s, ETA ${Number.isFinite(eta) ? `${eta.toFixed(1)} s` : '-'}`;
  }
}
