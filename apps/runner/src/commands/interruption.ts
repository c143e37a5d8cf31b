/** A run stopped by Ctrl-C before its first bar: the plugins were stopped and nothing was traded. */
export class RunInterruptedError extends Error {
  readonly code = 'RUN_INTERRUPTED';
  constructor(readonly during: string) {
    super(`interrupted (Ctrl-C) during ${during}; the plugins were stopped and nothing was traded`);
  }
}

/**
 * Waits for `work` unless `signal` aborts first, which throws {@link RunInterruptedError} at once: a plugin that
 * takes its time to connect or a slow history download never holds up a Ctrl-C. The work itself is left to finish
 * or fail on its own; its caller shuts its plugins down.
 */
export async function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined, during: string): Promise<T> {
  if (signal === undefined) return work;
  if (signal.aborted) {
    work.catch(() => undefined);
    throw new RunInterruptedError(during);
  }
  let onAbort!: () => void;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new RunInterruptedError(during));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
    // Whatever the work ends in after an interruption, nobody is waiting for it.
    work.catch(() => undefined);
  }
}

/**
 * The pages of `source` until `signal` aborts, which ends them at once, even while a page is being fetched: the
 * run then finishes with what it has (its summary so far) instead of waiting for a slow or stuck download.
 */
export async function* endOnAbort<T>(source: AsyncIterable<T>, signal: AbortSignal | undefined): AsyncGenerator<T> {
  const pages = source[Symbol.asyncIterator]();
  try {
    for (;;) {
      let next: IteratorResult<T>;
      try {
        next = await untilAborted(pages.next(), signal, 'the run');
      } catch (error) {
        if (error instanceof RunInterruptedError) return;
        throw error;
      }
      if (next.done === true) return;
      yield next.value;
    }
  } finally {
    if (signal?.aborted === true) void pages.return?.()?.catch(() => undefined);
    else await pages.return?.();
  }
}
