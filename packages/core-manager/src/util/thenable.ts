/** Whether a hook's answer is a promise (or any thenable) to wait for, rather than a plain value. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function';
}
