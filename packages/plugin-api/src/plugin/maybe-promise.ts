/** Hooks may answer synchronously or with a promise; the host awaits only when given a promise. */
export type MaybePromise<T> = T | PromiseLike<T>;
