import { getHeapStatistics } from 'node:v8';

/**
 * The share of V8's heap limit past which a run is stopped, for the heap in use and for the heap the process has
 * taken from the system. The limit counts the young generation too, and a heap that cannot be compacted any more
 * dies with about 85% of it taken and 65% in use (measured with --max-old-space-size=192: limit 240 MB, out of
 * memory at 152 MB used, 205 MB taken).
 */
export const HEAP_LIMIT_SHARE = { used: 0.6, taken: 0.75 };

/**
 * Stops a run before the heap runs out. Node cannot catch running out of memory: the process aborts and a journal
 * is left with a run marked running and its last batch unwritten. Checked on a timer and by the caller between bars,
 * a heap past its share of the limit (`HEAP_LIMIT_SHARE`) aborts `signal`, so the run ends as after Ctrl-C and everything recorded is kept;
 * `reason` then says what happened. Growth inside a single hook call faster than the checks cannot be stopped here:
 * that needs the plugin in a worker with its own heap limit.
 */
export class MemoryGuard {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  reason: string | undefined;

  constructor(
    private readonly share = HEAP_LIMIT_SHARE,
    everyMs = 200,
    private readonly heap: () => { used: number; taken: number; limit: number } = () => {
      const s = getHeapStatistics();
      return { used: s.used_heap_size, taken: s.total_heap_size, limit: s.heap_size_limit };
    },
  ) {
    this.timer = setInterval(() => this.check(), everyMs).unref();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Aborts the run when the heap is past its share of the limit; cheap enough (about a microsecond) to call every few dozen bars. */
  check(): void {
    if (this.reason !== undefined) return;
    const { used, taken, limit } = this.heap();
    if (used < limit * this.share.used && taken < limit * this.share.taken) return;
    const mb = (n: number) => `${Math.round(n / 1_048_576)} MB`;
    this.reason = `the run was stopped because memory ran short: ${mb(used)} of the ${mb(limit)} heap in use (a plugin may be keeping everything it sees)`;
    this.controller.abort(new Error(this.reason));
  }

  dispose(): void {
    clearInterval(this.timer);
  }
}
