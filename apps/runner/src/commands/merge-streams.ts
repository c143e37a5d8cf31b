/**
 * Items of several async streams as each arrives (live feeds of several data plugins): the merged stream ends when
 * every one has ended, and fails when one fails. Breaking out of it returns every stream.
 */
export async function* mergeStreams<T>(streams: readonly AsyncIterable<T>[]): AsyncGenerator<T> {
  if (streams.length === 1) {
    yield* streams[0]!;
    return;
  }
  const iterators = streams.map((s) => s[Symbol.asyncIterator]());
  const pending = new Map<number, Promise<readonly [number, IteratorResult<T>]>>();
  const ask = (i: number) => pending.set(i, iterators[i]!.next().then((step) => [i, step] as const));
  iterators.forEach((_, i) => ask(i));
  try {
    while (pending.size > 0) {
      const [i, step] = await Promise.race(pending.values());
      if (step.done === true) {
        pending.delete(i);
        continue;
      }
      ask(i);
      yield step.value;
    }
  } finally {
    for (const iterator of iterators) void iterator.return?.()?.catch(() => undefined);
  }
}
