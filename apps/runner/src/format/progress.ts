/** The time span a run covers, in epoch ms. */
export interface RunSpan {
  readonly start: number;
  readonly end: number;
}

/**
 * Progress of a long run: on a terminal one line redrawn at most every 100 ms (bar, share done, bars, bars/s,
 * ETA); elsewhere a plain line at every 10%. The bars stream in, so their number is not known ahead: the share
 * done is how far the bars have come through the run's time span.
 */
export class Progress {
  private readonly started = performance.now();
  private lastDraw = 0;
  private lastDecile = 0;

  constructor(
    private readonly out: { write(text: string): unknown },
    private readonly span: RunSpan,
    private readonly tty: boolean,
  ) {}

  /** `done` bars so far, the latest at `time`. */
  update(done: number, time: number): void {
    const share = this.share(time);
    const now = performance.now();
    if (this.tty) {
      if (now - this.lastDraw < 100 && share < 1) return;
      this.lastDraw = now;
      this.out.write(`\r${this.line(done, share, now)}`);
      return;
    }
    const decile = Math.floor(share * 10);
    if (decile > this.lastDecile && decile < 10) {
      this.lastDecile = decile;
      this.out.write(`progress: ${this.line(done, share, now)}\n`);
    }
  }

  done(): void {
    if (this.tty) this.out.write('\r\u001b[2K');
  }

  private share(time: number): number {
    const length = this.span.end - this.span.start;
    return length > 0 ? Math.min(1, Math.max(0, (time - this.span.start) / length)) : 1;
  }

  private line(done: number, share: number, now: number): string {
    const seconds = (now - this.started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const eta = share > 0 ? (seconds * (1 - share)) / share : Number.NaN;
    const width = 24;
    const filled = Math.round(share * width);
    const bar = this.tty ? `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ` : '';
    return `${bar}${(share * 100).toFixed(0)}% ${done} bars, ${Math.round(rate)} bars/s, ETA ${Number.isFinite(eta) ? `${eta.toFixed(1)} s` : '-'}`;
  }
}
