import type { OrderIntent, PortfolioSnapshot, Position, RiskDecision } from '@trading-orchestrator/plugin-api';
import { HOOK_FAILED, type HookFailed, type HookSite } from '../guard/hook-guard.js';
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
 * code and message; a resize passes the smaller quantity on; a plugin that throws, returns garbage, times out or
 * is not active denies (fail closed). Answers synchronously when every plugin does.
 */
export class RiskGate {
  private members: GateMember[] = [];

  constructor(
    private readonly manager: PluginManager,
    /** Risk plugin instance ids, in the order they are asked. */
    private readonly order: readonly string[],
  ) {}

  /** Re-reads the plugins' instances; call after start, reload or enable. */
  refresh(): void {
    this.members = this.order.map((id) => {
      const plugin = this.manager.get(id);
      if (plugin === undefined || plugin.kind !== 'risk') throw new Error(`risk gate: "${id}" is not a loaded risk plugin`);
      const self = plugin.instance ?? {};
      const { guard } = this.manager;
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
    return this.run(0, intent, portfolio, []);
  }

  /** Tells every active risk plugin that a position opened. */
  positionOpened(position: Position, portfolio: PortfolioSnapshot): void | Promise<void> {
    return this.notify('onPositionOpened', position, portfolio);
  }

  positionClosed(position: Position, portfolio: PortfolioSnapshot): void | Promise<void> {
    return this.notify('onPositionClosed', position, portfolio);
  }

  private run(from: number, intent: OrderIntent, portfolio: PortfolioSnapshot, checks: RiskCheck[]): RiskVerdict | Promise<RiskVerdict> {
    let current = intent;
    for (let i = from; i < this.members.length; i++) {
      const member = this.members[i]!;
      if (member.plugin.machine.state !== 'active' || member.plugin.instance === undefined) {
        return this.deny(current, checks, member.id, 'RISK_PLUGIN_UNAVAILABLE', `risk plugin "${member.id}" is ${member.plugin.machine.state}; orders are denied until it is active again (fail closed)`);
      }
      if (member.checkOrder.self !== member.plugin.instance) this.refresh();
      const answer = this.manager.guard.call<RiskDecision>(this.members[i]!.checkOrder, current, portfolio);
      if (answer instanceof Promise) {
        return answer.then((settled) => {
          const next = this.apply(member, current, settled, checks);
          return 'approved' in next ? next : this.run(i + 1, next, portfolio, checks);
        });
      }
      const next = this.apply(member, current, answer as RiskDecision | HookFailed, checks);
      if ('approved' in next) return next;
      current = next;
    }
    const verdict: RiskVerdict = { approved: true, intent: current, checks };
    if (this.manager.bus.hasSubscribers('risk-verdict')) this.manager.bus.publish('risk-verdict', { intent, approved: true, quantity: current.quantity });
    return verdict;
  }

  /** Returns the intent to pass on, or the final verdict when the plugin denied. */
  private apply(member: GateMember, intent: OrderIntent, answer: RiskDecision | HookFailed, checks: RiskCheck[]): OrderIntent | RiskVerdict {
    if (answer === HOOK_FAILED) {
      const error = member.plugin.guarded.lastError;
      const code = error?.code === 'HOOK_TIMED_OUT' ? 'RISK_PLUGIN_TIMEOUT' : 'RISK_PLUGIN_FAILED';
      return this.deny(intent, checks, member.id, code, `risk plugin "${member.id}" failed to answer, so the order is denied (fail closed): ${error?.message ?? 'unknown error'}`);
    }
    checks.push({ pluginId: member.id, decision: answer });
    // Payloads are built only for a listener: with none, an order through the gate allocates little.
    if (this.manager.bus.hasSubscribers('risk-decision')) this.manager.bus.publish('risk-decision', { intent, pluginId: member.id, decision: answer });
    if (answer.action === 'deny') return this.verdictDenied(intent, checks, member.id, answer.code, answer.message);
    if (answer.action === 'resize') {
      if (answer.quantity <= 0) return this.verdictDenied(intent, checks, member.id, answer.code, answer.message);
      if (answer.quantity < intent.quantity) return { ...intent, quantity: answer.quantity };
    }
    return intent;
  }

  private deny(intent: OrderIntent, checks: RiskCheck[], pluginId: string, code: string, message: string): RiskVerdict {
    const decision: RiskDecision = { action: 'deny', code, message };
    checks.push({ pluginId, decision });
    this.manager.bus.publish('risk-decision', { intent, pluginId, decision });
    return this.verdictDenied(intent, checks, pluginId, code, message);
  }

  private verdictDenied(intent: OrderIntent, checks: RiskCheck[], deniedBy: string, code: string, message: string): RiskVerdict {
    this.manager.bus.publish('risk-verdict', { intent, approved: false, quantity: 0, deniedBy, code, message });
    return { approved: false, deniedBy, code, message, checks };
  }

  private notify(hook: 'onPositionOpened' | 'onPositionClosed', position: Position, portfolio: PortfolioSnapshot): void | Promise<void> {
    if (this.members.length !== this.order.length) this.refresh();
    let pending: Promise<unknown>[] | undefined;
    for (let i = 0; i < this.members.length; i++) {
      const { plugin } = this.members[i]!;
      if (plugin.machine.state !== 'active' || plugin.instance === undefined) continue;
      // A reloaded plugin has a new instance, whose hooks need sites of their own.
      if (this.members[i]!.checkOrder.self !== plugin.instance) this.refresh();
      const result = this.manager.guard.call(this.members[i]![hook], position, portfolio);
      if (result instanceof Promise) (pending ??= []).push(result);
    }
    if (pending !== undefined) return Promise.all(pending).then(() => undefined);
  }
}
