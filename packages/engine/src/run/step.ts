/**
 * A pipeline step written as a generator that yields only the promises it must wait for. Plugins whose hooks
 * return plain values never make it yield, so a bar runs start to finish in one synchronous call: no promise,
 * no microtask. The first promise a hook returns switches that bar to an async continuation.
 */
export type Step<T = void> = Generator<PromiseLike<unknown>, T, unknown>;

export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function';
}

/** Runs a step; returns nothing when it completed synchronously, else a promise of its completion. */
export function drive(step: Step): void | Promise<void> {
  const first = step.next();
  if (first.done === true) return;
  return resume(step, first.value);
}

async function resume(step: Step, pending: PromiseLike<unknown>): Promise<void> {
  for (;;) {
    let value: unknown;
    let failed = false;
    try {
      value = await pending;
    } catch (error) {
      failed = true;
      value = error;
    }
    // A rejection is thrown into the step, where it surfaces at its `yield` (and fails the bar unless caught).
    const next = failed ? step.throw(value) : step.next(value);
    if (next.done === true) return;
    pending = next.value;
  }
}
