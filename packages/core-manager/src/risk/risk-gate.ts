import { readOnlyIntent, readOnlyPortfolio, readOnlyPosition } from '../util/read-only.js';
import type { OrderIntent, PortfolioSnapshot, Position, RiskDecision, RiskManager } from '@trading-orchestrator/plugin-api';
import type { EventBus } from '../events/event-bus.js';
import { HOOK_FAILED, type HookFailed, type HookGuard, type HookSite } from '../guard/hook-guard.js';
import type { ManagedPlugin } from '../manager/managed-plugin.js';
import type { PluginManager } from '../manager/plugin-manager.js';

export interface RiskCheck {
  readonly pluginId: string;
  readonly decision: RiskDecision;
}

export type RiskVerdict =
  | { readonly approved: true; readonly intent: OrderIntent; readonly checks: readonly RiskCheck[] }
  | {
      readonly approved: false;
      readonly deniedBy: string;
      readonly code: string;
      readonly message: string;
      readonly checks: readonly RiskCheck[];
    };

interface GateMember {
  readonly id: string;
  readonly plugin: ManagedPlugin;
  /** The member's hooks, on its current instance. */
  readonly checkOrder: HookSite;
  readonly onPositionOpened: HookSite;
  readonly onPositionClosed: HookSite;
}

/**
 * Every order intent passes every configured risk plugin in order. A deny stops the order with the plugin's
 * code and message; a resize passes the smaller quantity on. A plugin that throws, returns garbage, times out or
 * is not active denies an order that opens or adds exposure (fail closed), and lets a reduce-only order pass: a
 * broken risk plugin never traps a position (NautilusTrader's REDUCING state). A plugin that answers may still deny
 * an exit. Answers synchronously when every plugin does.
 */
export class RiskGate {
  private members: GateMember[] = [];
  private readonly guard: HookGuard;
  private readonly bus: EventBus;
  /** Whether anyone listens to `risk-decision` and `risk-verdict`, as of the bus's `changes` in `listenersAsOf`. */
  private listenersAsOf = -1;
  private decisionListened = false;
  private verdictListened = false;

  constructor(
    private readonly manager: PluginManager,
    /** Risk plugin instance ids, in the order they are asked. */
    private readonly order: readonly string[],
  ) {
    this.guard = manager.guard;
    this.bus = manager.bus;
  }

  /** Re-reads the plugins' instances; call after start, reload or enable. */
  refresh(): void {
    this.members = this.order.map((id) => {
      const plugin = this.manager.get(id);
      if (plugin === undefined || plugin.kind !== 'risk') throw new Error(`risk gate: "${id}" is not a loaded risk plugin`);
      const self = plugin.instance ?? {};
      const { guard } = this;
      return {
        id,
        plugin,
        checkOrder: guard.site(plugin.guarded, 'checkOrder', self),
        onPositionOpened: guard.site(plugin.guarded, 'onPositionOpened', self),
        onPositionClosed: guard.site(plugin.guarded, 'onPositionClosed', self),
      };
    });
  }

  check(intent: OrderIntent, portfolio: PortfolioSnapshot): RiskVerdict | Promise<RiskVerdict> {
    if (this.members.length !== this.order.length) this.refresh();
    // Every plugin sees the order and the account as they are: none can change them for the next, or for the broker.
    const order = readOnlyIntent(intent);
    return this.run(0, order, order, readOnlyPortfolio(portfolio), []);
  }

  /** Tells every active risk plugin that a position opened. */
  positionOpened(position: Position, portfolio: PortfolioSnapshot): void | Promise<void> {
    return this.notify(true, readOnlyPosition(position), readOnlyPortfolio(portfolio));
  }

  positionClosed(position: Position, portfolio: PortfolioSnapshot): void | Promise<void> {
    return this.notify(false, readOnlyPosition(position), readOnlyPortfolio(portfolio));
  }

  /**
   * Asks the members from `from` on about `current` (the order as resized so far; `intent` as the strategy made
   * it). Continuations of an answer that came as a promise live in `runSettle`, so this loop allocates no context.
   */
  private run(from: number, intent: OrderIntent, current: OrderIntent, portfolio: PortfolioSnapshot, checks: RiskCheck[]): RiskVerdict | Promise<RiskVerdict> {
    for (let i = from; i < this.members.length; i++) {
      const member = this.members[i]!;
      if (member.plugin.machine.state !== 'active' || member.plugin.instance === undefined) {
        if (current.reduceOnly) {
          this.passWithout(current, member.id, 'RISK_PLUGIN_UNAVAILABLE', `risk plugin "${member.id}" is ${member.plugin.machine.state}; a reduce-only order passes without it (entries are denied until it is active again)`);
          continue;
        }
        return this.deny(current, checks, member.id, 'RISK_PLUGIN_UNAVAILABLE', `risk plugin "${member.id}" is ${member.plugin.machine.state}; orders that open or add are denied until it is active again (fail closed)`);
      }
      if (member.checkOrder.self !== member.plugin.instance) this.refresh();
      const site = this.members[i]!.checkOrder;
      // Called as a method of the instance, not through `guard.call`, and booked as `call` would: see `notify`.
      let answer: RiskDecision | HookFailed | Promise<RiskDecision | HookFailed>;
      try {
        answer = this.guard.returned<RiskDecision>(site, (site.self as RiskManager).checkOrder(current, portfolio));
      } catch (error) {
        answer = this.guard.threw(site, error);
      }
      if (answer instanceof Promise) return this.runSettle(answer, i, intent, current, portfolio, checks);
      const denied = this.judge(member, current, answer, checks);
      if (denied !== undefined) return denied;
      if (answer !== HOOK_FAILED) current = passedOn(current, answer);
    }
    this.refreshListeners();
    if (this.verdictListened) this.bus.publish('risk-verdict', { intent, approved: true, quantity: current.quantity });
    return { approved: true, intent: current, checks };
  }

  private runSettle(pending: Promise<RiskDecision | HookFailed>, at: number, intent: OrderIntent, current: OrderIntent, portfolio: PortfolioSnapshot, checks: RiskCheck[]): Promise<RiskVerdict> {
    return pending.then((answer) => {
      const denied = this.judge(this.members[at]!, current, answer, checks);
      return denied ?? this.run(at + 1, intent, answer === HOOK_FAILED ? current : passedOn(current, answer), portfolio, checks);
    });
  }

  /**
   * Records a member's answer; returns the verdict when it denies the order (or failed to answer an order that
   * opens or adds), else undefined.
   */
  private judge(member: GateMember, intent: OrderIntent, answer: RiskDecision | HookFailed, checks: RiskCheck[]): RiskVerdict | undefined {
    if (answer === HOOK_FAILED) {
      const error = member.plugin.guarded.lastError;
      const code = error?.code === 'HOOK_TIMED_OUT' ? 'RISK_PLUGIN_TIMEOUT' : 'RISK_PLUGIN_FAILED';
      if (intent.reduceOnly) {
        this.passWithout(intent, member.id, code, `risk plugin "${member.id}" failed to answer; a reduce-only order passes without it: ${error?.message ?? 'unknown error'}`);
        return undefined;
      }
      return this.deny(intent, checks, member.id, code, `risk plugin "${member.id}" failed to answer, so the order is denied (fail closed): ${error?.message ?? 'unknown error'}`);
    }
    checks.push({ pluginId: member.id, decision: answer });
    // Payloads are built only for a listener: with none, an order through the gate allocates little.
    this.refreshListeners();
    if (this.decisionListened) this.bus.publish('risk-decision', { intent, pluginId: member.id, decision: answer });
    if (answer.action === 'deny' || (answer.action === 'resize' && answer.quantity <= 0)) return this.verdictDenied(intent, checks, member.id, answer.code, answer.message);
    return undefined;
  }

  /** A reduce-only order passed a member that could not answer: said on `risk-decision`, never silent. */
  private passWithout(intent: OrderIntent, pluginId: string, code: string, message: string): void {
    this.bus.publish('risk-decision', { intent, pluginId, decision: { action: 'allow' }, passedWithout: { code, message } });
  }

  private deny(intent: OrderIntent, checks: RiskCheck[], pluginId: string, code: string, message: string): RiskVerdict {
    const decision: RiskDecision = { action: 'deny', code, message };
    checks.push({ pluginId, decision });
    this.bus.publish('risk-decision', { intent, pluginId, decision });
    return this.verdictDenied(intent, checks, pluginId, code, message);
  }

  private verdictDenied(intent: OrderIntent, checks: RiskCheck[], deniedBy: string, code: string, message: string): RiskVerdict {
    this.bus.publish('risk-verdict', { intent, approved: false, quantity: 0, deniedBy, code, message });
    return { approved: false, deniedBy, code, message, checks };
  }

  private notify(opened: boolean, position: Position, portfolio: PortfolioSnapshot): void | Promise<void> {
    if (this.members.length !== this.order.length) this.refresh();
    let pending: Promise<unknown>[] | undefined;
    for (let i = 0; i < this.members.length; i++) {
      const { plugin } = this.members[i]!;
      if (plugin.machine.state !== 'active' || plugin.instance === undefined) continue;
      // A reloaded plugin has a new instance, whose hooks need sites of their own.
      if (this.members[i]!.checkOrder.self !== plugin.instance) this.refresh();
      const member = this.members[i]!;
      const site = opened ? member.onPositionOpened : member.onPositionClosed;
      if (site.fn === undefined) continue;
      // The hooks are called as methods of their instances, and booked with the guard's `returned`/`threw` as
      // `guard.call` would: `call`'s one call site sees every plugin's functions and makes each call a generic one,
      // where a method call lets V8 tell the instances apart by their shapes and call (or inline) each hook directly.
      const self = site.self as RiskManager;
      let result: unknown;
      try {
        const out = opened ? self.onPositionOpened!(position, portfolio) : self.onPositionClosed!(position, portfolio);
        result = out === undefined ? this.guard.returnedNothing(site) : this.guard.returned(site, out);
      } catch (error) {
        this.guard.threw(site, error);
        continue;
      }
      if (result instanceof Promise) (pending ??= []).push(result);
    }
    if (pending !== undefined) return Promise.all(pending).then(() => undefined);
  }

  private refreshListeners(): void {
    if (this.bus.changes === this.listenersAsOf) return;
    this.listenersAsOf = this.bus.changes;
    this.decisionListened = this.bus.hasSubscribers('risk-decision');
    this.verdictListened = this.bus.hasSubscribers('risk-verdict');
  }
}

/** The order a member's allowing or resizing answer passes on: smaller when resized down, else the same. */
function passedOn(intent: OrderIntent, answer: RiskDecision): OrderIntent {
  return answer.action === 'resize' && answer.quantity < intent.quantity ? Object.freeze({ ...intent, quantity: answer.quantity }) : intent;
}
