import { setTimeout as sleep } from 'node:timers/promises';

type Sleep = (ms: number, signal?: AbortSignal) => Promise<unknown>;

const realSleep: Sleep = (ms, signal) => sleep(ms, undefined, signal === undefined ? {} : { signal });

/** Spaces requests at least `intervalMs` apart, in the order they asked, across every caller sharing it. */
export class RequestPacer {
  private next = -Infinity;

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
    private readonly wait: Sleep = realSleep,
  ) {}

  /** Resolves when the caller may send its request. */
  async turn(signal?: AbortSignal): Promise<void> {
    const at = Math.max(this.now(), this.next);
    this.next = at + this.intervalMs;
    const delay = at - this.now();
    if (delay > 0) await this.wait(delay, signal);
  }
}
