import { HOOK_FAILED, SignalRouter, type AlertRouteRule } from '@trading-orchestrator/core-manager';
import type { ExternalAlert, Signal } from '@trading-orchestrator/plugin-api';
import type { RunContext } from '../run/run-context.js';
import type { SlotState } from '../run/slot-state.js';
import type { PluginTicks } from './plugin-ticks.js';

type Output = Signal | readonly Signal[] | null | undefined;

/** Where an alert went: the rule that chose its strategies, and what each answered. */
export interface AlertDelivery {
  readonly rule: AlertRouteRule;
  readonly targets: readonly { readonly strategyId: string; readonly signals: number; readonly failed: boolean }[];
}

/**
 * External alerts of a live session (a webhook from a charting tool): routed by the signal router (plugin hint, then
 * strategy and timeframe, then strategy) to the strategies that implement `onAlert`, whose signals are taken in as a
 * tick's are: acted on at the symbol's first bar that opens after the alert.
 */
export class PluginAlerts {
  private readonly router: SignalRouter;

  constructor(
    private readonly ctx: RunContext,
    private readonly ticks: PluginTicks,
  ) {
    this.router = new SignalRouter(
      ctx.slots.map((s) => ({
        instanceId: s.slot.instanceId,
        strategy: s.plugin.spec.plugin.id,
        shadow: s.slot.shadow === true,
        acceptsAlerts: s.onAlert !== undefined,
        ...(s.slot.symbols === undefined ? {} : { symbols: s.slot.symbols }),
        ...(s.slot.timeframes === undefined ? {} : { timeframes: s.slot.timeframes }),
      })),
    );
  }

  async alert(alert: ExternalAlert): Promise<AlertDelivery> {
    const { ctx } = this;
    ctx.refreshActive();
    const route = this.router.route(alert);
    const targets: { strategyId: string; signals: number; failed: boolean }[] = [];
    for (const target of route.targets) {
      const state = ctx.slotById.get(target.instanceId)!;
      if (!state.active) continue;
      const site = state.onAlert;
      // A reload may have swapped in a version without onAlert.
      if (site === undefined) continue;
      const before = state.signals;
      let out: Output | typeof HOOK_FAILED;
      try {
        const answer = site.fn!.call(site.self, alert);
        if (answer === undefined) {
          ctx.guard.returnedNothing(site);
          targets.push({ strategyId: target.instanceId, signals: 0, failed: false });
          continue;
        }
        out = await ctx.guard.returned<Output>(site, answer);
      } catch (error) {
        ctx.guard.threw(site, error);
        out = HOOK_FAILED;
      }
      this.take(state, out, alert);
      targets.push({ strategyId: target.instanceId, signals: state.signals - before, failed: out === HOOK_FAILED });
    }
    return { rule: route.rule, targets };
  }

  private take(state: SlotState, out: Output | typeof HOOK_FAILED, alert: ExternalAlert): void {
    if (out === HOOK_FAILED || out === undefined || out === null) return;
    const first = Array.isArray(out) ? (out as readonly Signal[])[0] : (out as Signal);
    const symbol = alert.symbol ?? first?.symbol ?? '';
    const time = Math.max(this.ctx.currentTime, Number.isFinite(alert.time) ? alert.time : this.ctx.currentTime);
    this.ticks.intake(state, out, { symbol, price: this.ctx.ledger.priceOf(symbol), time, size: 0 });
  }
}
