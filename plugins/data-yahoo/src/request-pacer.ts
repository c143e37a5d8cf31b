import { setTimeout as sleep } from 'node:timers/promises';

/** Spaces requests at least `intervalMs` apart, in the order they asked, across every caller sharing it. */
export class RequestPacer {
  private next = 0;

  constructor(private readonly intervalMs: number, private readonly now: () => number = Date.now) {}

  /** Resolves when the caller may send its request. */
  async turn(signal?: AbortSignal): Promise<void> {
    const at = Math.max(this.now(), this.next);
    this.next = at + this.intervalMs;
    const wait = at - this.now();
    if (wait > 0) await sleep(wait, undefined, signal === undefined ? {} : { signal });
  }
}
