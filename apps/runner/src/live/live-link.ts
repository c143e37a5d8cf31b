import type { PluginManager } from '@trading-orchestrator/core-manager';
import type { BacktestEngine } from '@trading-orchestrator/engine';
import type { Broker, Fill, VenueInfo } from '@trading-orchestrator/plugin-api';
import type { HaltSwitch } from '../control/halt-switch.js';
import { FillCursor, type FillCursorState } from './fill-cursor.js';
import { baselineOf, reconcile, type Baseline } from './reconcile.js';
import type { ReportInbox } from './report-inbox.js';

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

/** What a live session starts from besides its options: its broker's held reports, and a resumed session's booked venue trades. */
export interface LiveStart {
  readonly inbox: ReportInbox;
  /** The checkpoint's cursor; a new session books the venue's trades from its start on. */
  readonly fills?: FillCursorState | undefined;
  /** Keeps what was booked (a checkpoint), so a killed session resumes after it; called in turn, after each booking. */
  readonly checkpoint: () => void;
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
  private cursor: FillCursor | undefined;

  constructor(
    private readonly engine: BacktestEngine,
    private readonly manager: PluginManager,
    private readonly brokerId: string,
    private readonly symbols: readonly string[],
    private readonly inTurn: <T>(work: () => T | Promise<T>) => Promise<T>,
    private readonly options: LiveOptions,
    private readonly begin: LiveStart,
  ) {}

  private get broker(): Broker {
    return this.manager.get(this.brokerId)!.instance as Broker;
  }

  /** Takes the broker's reports, says which venue and account it trades, and reconciles before the first live bar. */
  async start(): Promise<void> {
    this.cursor = new FillCursor(this.begin.fills ?? Date.now());
    this.begin.inbox.deliverTo(this.brokerId, {
      fill: (_id, fill) => void this.inTurn(() => this.book(fill)),
      order: (_id, order) => void this.inTurn(() => {
        this.engine.orderReported(order);
        this.begin.checkpoint();
      }),
      connection: (_id, state, detail) => {
        if (state === 'down') {
          if (this.options.halt.code === undefined) this.options.halt.halt(`the venue's connection is down${detail === undefined ? '' : ` (${detail})`}; entries wait for reconciliation`, RECONCILING);
          this.publish('connection', `down${detail === undefined ? '' : `: ${detail}`}`);
        } else void this.reconcileNow('reconnect');
      },
    });
    this.off = () => this.begin.inbox.close();
    this.options.announce(await this.broker.venue?.());
    this.baseline = await this.inTurn(() => baselineOf(this.engine, this.broker, this.symbols));
    await this.reconcileNow('start');
    this.timer = setInterval(() => void this.reconcileNow('schedule'), this.options.reconcileEveryMs);
    this.timer.unref();
  }

  /** The venue trades booked, for the session's checkpoint. */
  fillState(): FillCursorState | undefined {
    return this.cursor?.state();
  }

  /** Books a venue trade unless it was booked already; call in turn. */
  private async book(fill: Fill): Promise<boolean> {
    if (!this.cursor!.take(fill)) return false;
    await this.engine.bookReported(fill);
    this.begin.checkpoint();
    return true;
  }

  /** Asks the venue for its trades since the cursor and books the ones the session missed, naming each. */
  private async catchUp(when: string): Promise<void> {
    const fills = (await this.broker.fillsSince?.(this.cursor!.from, this.symbols)) ?? [];
    for (const fill of fills) {
      if (!(await this.inTurn(() => this.book(fill)))) continue;
      const line = `booked a venue trade the session had missed: ${fill.tradeId ?? '(no id)'}, order ${fill.orderId}, ${fill.side} ${fill.quantity} ${fill.symbol} at ${fill.price}`;
      this.publish('reconcile', `${when}: ${line}`);
      this.options.say(`reconciliation (${when}) ${line}`);
    }
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
      // The venue's trades first: an order it ended as filled is caught up with after its fills are booked.
      await this.catchUp(when);
      found = await this.inTurn(() => reconcile(this.engine, this.broker, this.symbols, this.baseline));
    } catch (error) {
      // Entries stay denied: a venue that cannot be asked cannot be traded on safely.
      this.publish('reconcile', `${when}: the venue could not be asked (${(error as Error).message}); entries stay halted`);
      this.options.say(`reconciliation (${when}) could not ask the venue: ${(error as Error).message}; entries stay halted until it can`);
      return;
    }
    for (const order of found.caughtUp) await this.inTurn(() => (this.engine.orderReported(order), this.begin.checkpoint()));
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
