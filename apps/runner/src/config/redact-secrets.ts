/** Setting names that hold secrets in plugins' configs: keys, secrets, tokens, passwords, and URLs that carry them. */
const SECRET_NAME = /(key|secret|token|password|passphrase|credential|webhook)/i;

/**
 * A run config as the journal keeps it: every plugin setting whose name says it is secret replaced by "[redacted]",
 * and a notifier's `url` (a chat webhook's URL is its secret). A key given through `${ENV}` is a plain value once
 * the file is read; the journal must never hold it.
 */
export function redactSecrets<T>(config: T): T {
  const walk = (value: unknown, name: string, inNotifier: boolean): unknown => {
    if (typeof value === 'string') return SECRET_NAME.test(name) || (inNotifier && name === 'url') ? '[redacted]' : value;
    if (Array.isArray(value)) return value.map((v) => walk(v, name, inNotifier || name === 'notifiers'));
    if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k, inNotifier || name === 'notifiers')]));
    return value;
  };
  return walk(config, '', false) as T;
}
