import type { PluginManager } from '@trading-orchestrator/core-manager';
import type { BacktestEngine } from '@trading-orchestrator/engine';
import type { Broker, VenueInfo } from '@trading-orchestrator/plugin-api';
import type { HaltSwitch } from '../control/halt-switch.js';
import { baselineOf, reconcile, type Baseline } from './reconcile.js';

export interface LiveOptions {
  /** What reconciliation does with a mismatch: halt entries until a person acts, or take the venue's view and go on. */
  readonly onMismatch: 'halt' | 'adopt';
  readonly reconcileEveryMs: number;
  /** The session's halt rule: entries wait on it while the venue is unreachable or being reconciled. */
  readonly halt: HaltSwitch;
  /** Told the venue and account once the broker has started, before anything is traded. */
  readonly announce: (venue: VenueInfo | undefined) => void;
  /** Told each reconciliation's outcome, one line each. */
  readonly say: (line: string) => void;
}

/** The code of denials while the venue is being reconciled. */
export const RECONCILING = 'RECONCILING';
/** The code of denials after a reconciliation found what a person must look at. */
export const MISMATCH = 'RECONCILIATION_MISMATCH';

/**
 * A live session's link to its venue: the broker's reported fills and order states booked in turn with the bars,
 * entries denied while its connection is down and until reconciliation after it, and reconciliation at start, after
 * every reconnect and every `reconcileEveryMs`. Every reconciliation is published on the bus (`control`), so the
 * journal keeps what it found.
 */
export class LiveLink {
  private baseline: Baseline | undefined;
  private timer: NodeJS.Timeout | undefined;
  private off: (() => void) | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly engine: BacktestEngine,
    private readonly manager: PluginManager,
    private readonly brokerId: string,
    private readonly symbols: readonly string[],
    private readonly inTurn: <T>(work: () => T | Promise<T>) => Promise<T>,
    private readonly options: LiveOptions,
  ) {}

  private get broker(): Broker {
    return this.manager.get(this.brokerId)!.instance as Broker;
  }

  /** Takes the broker's reports, says which venue and account it trades, and reconciles before the first live bar. */
  async start(): Promise<void> {
    this.off = this.manager.receiveBrokerReports({
      fill: (_id, fill) => void this.inTurn(() => this.engine.bookReported(fill)),
      order: (_id, order) => void this.inTurn(() => this.engine.orderReported(order)),
      connection: (_id, state, detail) => {
        if (state === 'down') {
          if (this.options.halt.code === undefined) this.options.halt.halt(`the venue's connection is down${detail === undefined ? '' : ` (${detail})`}; entries wait for reconciliation`, RECONCILING);
          this.publish('connection', `down${detail === undefined ? '' : `: ${detail}`}`);
        } else void this.reconcileNow('reconnect');
      },
    });
    this.options.announce(await this.broker.venue?.());
    this.baseline = await this.inTurn(() => baselineOf(this.engine, this.broker, this.symbols));
    await this.reconcileNow('start');
    this.timer = setInterval(() => void this.reconcileNow('schedule'), this.options.reconcileEveryMs);
    this.timer.unref();
  }

  /** Compares the venue with the session now; one at a time. */
  reconcileNow(when: 'start' | 'reconnect' | 'schedule'): Promise<void> {
    this.running ??= this.reconcileOnce(when).finally(() => (this.running = undefined));
    return this.running;
  }

  private async reconcileOnce(when: string): Promise<void> {
    const { halt } = this.options;
    // Only a halt of its own is lifted afterwards: a person's halt (even one made while this runs) stays.
    if (halt.code === undefined || halt.code === RECONCILING) halt.halt(`reconciling with the venue (${when})`, RECONCILING);
    let found: Awaited<ReturnType<typeof reconcile>>;
    try {
      found = await this.inTurn(() => reconcile(this.engine, this.broker, this.symbols, this.baseline));
    } catch (error) {
      // Entries stay denied: a venue that cannot be asked cannot be traded on safely.
      this.publish('reconcile', `${when}: the venue could not be asked (${(error as Error).message}); entries stay halted`);
      this.options.say(`reconciliation (${when}) could not ask the venue: ${(error as Error).message}; entries stay halted until it can`);
      return;
    }
    for (const order of found.caughtUp) await this.inTurn(() => this.engine.orderReported(order));
    for (const m of found.mismatches) this.publish('reconcile', `${when}: ${m.message}`);
    if (found.mismatches.length === 0) {
      this.publish('reconcile', `${when}: the venue and the session agree`);
      if (halt.code === RECONCILING) halt.resume();
      return;
    }
    for (const m of found.mismatches) this.options.say(`reconciliation (${when}): ${m.message}`);
    if (this.options.onMismatch === 'halt') {
      halt.halt(`reconciliation found ${found.mismatches.length} mismatch${found.mismatches.length === 1 ? '' : 'es'} with the venue; look, then trading-orchestrator ctl resume`, MISMATCH);
      this.options.say(`entries are halted until you look (live.onMismatch: halt); trading-orchestrator ctl resume lets them through again`);
    } else if (halt.code === RECONCILING) {
      halt.resume();
      this.options.say('going on with the venue\'s view (live.onMismatch: adopt)');
    }
  }

  private publish(action: string, target: string): void {
    this.manager.bus.publish('control', { time: Date.now(), action, origin: 'live session', target });
  }

  /** Stops taking reports and reconciling; with `cancelEntries`, working entry orders are cancelled at the venue. */
  async close(cancelEntries: boolean): Promise<number> {
    clearInterval(this.timer);
    await this.running;
    const cancelled = cancelEntries ? await this.inTurn(() => this.engine.cancelEntries('the live session stopped')) : 0;
    this.off?.();
    return cancelled;
  }
}
