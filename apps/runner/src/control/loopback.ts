const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** Whether `host` is this machine only: the control API binds nothing else without an explicit opt-in. */
export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}
