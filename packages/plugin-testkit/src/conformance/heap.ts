import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | undefined;

/** Heap in use after a full garbage collection, in bytes. */
export function settledHeapUsed(): number {
  if (collect === undefined) {
    const exposed = (globalThis as { gc?: () => void }).gc;
    if (exposed !== undefined) collect = exposed;
    else {
      // Expose gc without a command-line flag: the flag applies to contexts created after it is set.
      setFlagsFromString('--expose-gc');
      collect = runInNewContext('gc') as () => void;
    }
  }
  collect();
  collect();
  return process.memoryUsage().heapUsed;
}
