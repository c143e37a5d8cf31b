/** How a run hears Ctrl-C. */
export interface Interrupts {
  /** Aborts at the first Ctrl-C. */
  readonly signal: AbortSignal;
  /** Stops listening; Ctrl-C is the default (end the process) again. */
  dispose(): void;
}

/**
 * Ctrl-C at any moment of a run. The first aborts `signal`: start-up stops at once, a running backtest or session
 * after the bar in progress, and the plugins are stopped and the journal flushed. A second one, for when that takes
 * too long, calls `saveNow` (which records what it can synchronously: the run marked interrupted, the journal
 * closed) and ends the process.
 */
export function listenForInterrupts(say: (line: string) => void, saveNow: () => void): Interrupts {
  const controller = new AbortController();
  let count = 0;
  const onSigint = () => {
    count++;
    if (count === 1) {
      say('stopping (Ctrl-C): the plugins are being stopped and the journal flushed; Ctrl-C again stops at once');
      controller.abort();
      return;
    }
    say('stopping now (second Ctrl-C): the journal is closed with the run marked interrupted');
    try {
      saveNow();
    } finally {
      process.exit(130);
    }
  };
  process.on('SIGINT', onSigint);
  return { signal: controller.signal, dispose: () => process.removeListener('SIGINT', onSigint) };
}
